/**
 * Read-only helpers over a synthesized CloudFormation template, shared by the ADR rules.
 * Values the template does not state literally (tokens, imports, parameters) resolve to
 * `undefined`, and the rules treat `undefined` as non-compliant.
 */
import type { CfnResourceJson, CfnTemplateJson } from '../../../common/cfn-template.js';
import { fail, pass, type RuleOutcome, type Verdict } from '../../rule.js';

export type { CfnResourceJson, CfnTemplateJson };
export { fail, pass };

/** A resource of a template, as every rule over templates sees it. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
  readonly properties: Record<string, unknown>;
}

/** A synthesized template and the construct path of its stack (which prefixes its resources' paths). */
export interface StackTemplate {
  readonly stackPath: string;
  readonly template: CfnTemplateJson;
}

/** An ADR rule over one template: one outcome per resource it applies to, `subject` being the logical id (or `*`). */
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
export function judgeEach(template: CfnTemplateJson, type: string, judge: (resource: TemplateResource) => Verdict): RuleOutcome[] {
  const resources = resourcesOfType(template, type);
  if (resources.length === 0) return [{ subject: '*', result: 'not-applicable', reason: `no ${type} in the template` }];
  return resources.map((resource) => ({ subject: resource.logicalId, ...judge(resource) }));
}

/** The construct path of a resource (`aws:cdk:path` metadata), else `<stack path>/<logical id>`. */
export function constructPathOf({ stackPath, template }: StackTemplate, logicalId: string): string {
  const path = template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : `${stackPath}/${logicalId}`;
}

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

/** The logical id of the resource at `constructPath`, if the template has it. */
export function logicalIdAt(stack: StackTemplate, constructPath: string): string | undefined {
  return Object.keys(stack.template.Resources ?? {}).find((logicalId) => constructPathOf(stack, logicalId) === constructPath);
}
