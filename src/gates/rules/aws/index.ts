/**
 * The ADR-15 rules over synthesized CloudFormation, keyed by their catalogue entry
 * (src/gates/adr-catalogue.ts), and their findings on one stack's template.
 */
import { ADR_RULES, type AdrRuleKey } from '../../adr-catalogue.js';
import type { GateFinding } from '../../finding.js';
import { adrFinding } from '../../rule.js';
import { bottlerocketAmi } from './bottlerocket-ami.js';
import { controlPlaneLogging } from './control-plane-logging.js';
import { imdsHopLimit } from './imds-hop-limit.js';
import { kubernetesSupport } from './kubernetes-support.js';
import { noSsm } from './no-ssm.js';
import { privateEndpoint } from './private-endpoint.js';
import { releasePinned } from './release-pinned.js';
import { sealIntact } from './seal-intact.js';
import { secretsEncryption } from './secrets-encryption.js';
import { selfManagedCompute } from './self-managed-compute.js';
import { constructPathOf, type CfnTemplateJson, type RuleOutcome, type TemplateRule } from './template.js';
import { updaterLabel } from './updater-label.js';

export type { CfnResourceJson, CfnTemplateJson, StackTemplate, TemplateResource, TemplateRule } from './template.js';
export { constructPathOf, logicalIdAt, resourcesOfType } from './template.js';

export const TEMPLATE_RULES = {
  bottlerocketAmi,
  sealIntact,
  selfManagedCompute,
  imdsHopLimit,
  noSsm,
  updaterLabel,
  releasePinned,
  privateEndpoint,
  controlPlaneLogging,
  secretsEncryption,
} as const satisfies Partial<Record<AdrRuleKey, TemplateRule>>;

/** Run every ADR rule over one stack's template; resources are named by construct path, the stack when a rule found nothing to judge. */
export function evaluateAdrRules(template: CfnTemplateJson, stackPath: string): GateFinding[] {
  return (Object.keys(TEMPLATE_RULES) as Array<keyof typeof TEMPLATE_RULES>).flatMap((key) => findingsOf(key, TEMPLATE_RULES[key](template), { stackPath, template }));
}

/** ADR15-VER-1 (the Kubernetes version against the EKS release calendar) on one stack's template, judged on `day` (YYYY-MM-DD, UTC). */
export function evaluateSupportCalendar(template: CfnTemplateJson, stackPath: string, day: string): GateFinding[] {
  return findingsOf('kubernetesSupport', kubernetesSupport(template, day), { stackPath, template });
}

function findingsOf(key: AdrRuleKey, outcomes: readonly RuleOutcome[], stack: { readonly stackPath: string; readonly template: CfnTemplateJson }): GateFinding[] {
  return outcomes.map((outcome) => adrFinding(ADR_RULES[key], outcome.logicalId === '*' ? stack.stackPath : constructPathOf(stack, outcome.logicalId), outcome));
}
