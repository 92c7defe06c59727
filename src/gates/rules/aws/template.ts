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
  const getAtt = Array.isArray(record['Fn::GetAtt']) && typeof record['Fn::GetAtt'][0] === 'string' ? record['Fn::GetAtt'][0] : undefined;
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
