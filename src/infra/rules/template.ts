/**
 * Read-only helpers over a synthesized CloudFormation template, shared by the ADR rules.
 * Values the template does not state literally (tokens, imports, parameters) resolve to
 * `undefined`, and the rules treat `undefined` as non-compliant.
 */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResourceJson>;
  /** A macro (`AWS::LanguageExtensions`, `AWS::Serverless-2016-10-31`, ...) rewrites the template at deploy time. */
  readonly Transform?: unknown;
}

export interface TemplateResource {
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
  readonly properties: Record<string, unknown>;
}

export type RuleResult = 'pass' | 'fail' | 'not-applicable';

/** One rule's verdict on one resource. */
export interface RuleOutcome {
  /** Logical id of the resource judged, or `*` when the rule found nothing to judge. */
  readonly logicalId: string;
  readonly result: RuleResult;
  readonly reason?: string;
}

/** An ADR rule: a pure function from a template to one outcome per resource it applies to. */
export type TemplateRule = (template: CfnTemplateJson) => readonly RuleOutcome[];

export function resourcesOfType(template: CfnTemplateJson, type: string): TemplateResource[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => ({ logicalId, resource, properties: resource.Properties ?? {} }));
}

/** The resource a `Ref` or `Fn::GetAtt` points at, when it is in this template. */
export function referencedResource(template: CfnTemplateJson, value: unknown): TemplateResource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const ref = typeof record.Ref === 'string' ? record.Ref : undefined;
  const rawGetAtt = record['Fn::GetAtt'];
  // Fn::GetAtt is `[logicalId, attribute]`, or `"logicalId.attribute"` in its short form.
  const getAtt = Array.isArray(rawGetAtt) && typeof rawGetAtt[0] === 'string' ? rawGetAtt[0] : typeof rawGetAtt === 'string' ? rawGetAtt.split('.')[0] : undefined;
  const logicalId = ref ?? getAtt;
  const resource = logicalId === undefined ? undefined : template.Resources?.[logicalId];
  return logicalId !== undefined && resource ? { logicalId, resource, properties: resource.Properties ?? {} } : undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Apply `judge` to every resource of `type`; a template without any yields one not-applicable outcome. */
export function judgeEach(
  template: CfnTemplateJson,
  type: string,
  judge: (resource: TemplateResource) => Omit<RuleOutcome, 'logicalId'>,
): RuleOutcome[] {
  const resources = resourcesOfType(template, type);
  if (resources.length === 0) return [{ logicalId: '*', result: 'not-applicable', reason: `no ${type} in the template` }];
  return resources.map((resource) => ({ logicalId: resource.logicalId, ...judge(resource) }));
}

export const pass = (): Omit<RuleOutcome, 'logicalId'> => ({ result: 'pass' });
export const fail = (reason: string): Omit<RuleOutcome, 'logicalId'> => ({ result: 'fail', reason });

/** The launch template a node group uses, if it names one in this template. */
export function nodegroupLaunchTemplate(
  template: CfnTemplateJson,
  nodegroup: TemplateResource,
): { readonly kind: 'none' } | { readonly kind: 'unresolved' } | { readonly kind: 'found'; readonly data: Record<string, unknown> } {
  const spec = asRecord(nodegroup.properties.LaunchTemplate);
  if (!spec) return { kind: 'none' };
  const target = referencedResource(template, spec.Id) ?? referencedResource(template, spec.Name);
  if (!target || target.resource.Type !== 'AWS::EC2::LaunchTemplate') return { kind: 'unresolved' };
  return { kind: 'found', data: asRecord(target.properties.LaunchTemplateData) ?? {} };
}

/** Pseudo parameters whose value does not change what a policy or ARN means to the rules. */
const PSEUDO_PARAMETERS = new Set(['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId']);

/**
 * The text of a value whose only unknowns are pseudo parameters (rendered `<AWS::Partition>`):
 * a literal string, `Fn::Join` or `Fn::Sub` of such parts. Anything else (a parameter, an
 * import, a condition) is undefined: the rules cannot know it.
 */
export function staticString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const record = asRecord(value);
  if (!record || Object.keys(record).length !== 1) return undefined;
  if (typeof record.Ref === 'string') return PSEUDO_PARAMETERS.has(record.Ref) ? `<${record.Ref}>` : undefined;
  const join = record['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(staticString);
    return parts.every((part): part is string => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = record['Fn::Sub'];
  if (typeof sub === 'string') {
    const variables = [...sub.matchAll(/\$\{([^}!]+)\}/g)].map((match) => match[1]!);
    return variables.every((name) => PSEUDO_PARAMETERS.has(name)) ? sub.replace(/\$\{([^}!]+)\}/g, '<$1>') : undefined;
  }
  return undefined;
}

/** Keys that make a value an intrinsic function (or a macro) rather than literal data. */
export function isIntrinsic(value: unknown): boolean {
  const record = asRecord(value);
  if (!record) return false;
  const keys = Object.keys(record);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

/**
 * Every place in `value`, at any depth and inside any intrinsic (`Fn::If` branches,
 * `Fn::Sub` variable maps, ...), where one of `keys` is an object key; as dotted paths.
 */
export function keysAnywhere(value: unknown, keys: ReadonlySet<string>, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => keysAnywhere(item, keys, `${path}[${index}]`));
  const record = asRecord(value);
  if (!record) return [];
  return Object.entries(record).flatMap(([key, child]) => [
    ...(keys.has(key) ? [`${path}${path ? '.' : ''}${key}`] : []),
    ...keysAnywhere(child, keys, `${path}${path ? '.' : ''}${key}`),
  ]);
}

/** Why a template cannot be judged as written, if it cannot: a transform rewrites it at deploy time. */
export function transformProblem(template: CfnTemplateJson): string | undefined {
  return template.Transform === undefined ? undefined : `the template declares Transform ${JSON.stringify(template.Transform)}, which rewrites it at deploy time beyond what the rules can see`;
}

/** Whether `value` (a `Ref`/`Fn::GetAtt`, or a literal name equal to the resource's `nameProperty`) points at `target`. */
export function pointsAt(template: CfnTemplateJson, value: unknown, target: TemplateResource, nameProperty?: string): 'yes' | 'no' | 'unknown' {
  const referenced = referencedResource(template, value);
  if (referenced) return referenced.logicalId === target.logicalId ? 'yes' : 'no';
  const text = staticString(value);
  if (text === undefined) return 'unknown';
  const name = nameProperty === undefined ? undefined : staticString(target.properties[nameProperty]);
  if (name !== undefined && (text === name || text.endsWith(`/${name}`))) return 'yes';
  // A literal names something outside the template, or a generated name it cannot know before deploy.
  return 'no';
}
