/**
 * The ADR-15 rules over synthesized CloudFormation, keyed by their catalogue entry
 * (src/gates/adr-catalogue.ts), and the function that turns their outcomes into gate findings.
 */
import { ADR_RULES, type AdrRule, type AdrRuleKey } from '../../gates/adr-catalogue.js';
import type { GateFinding } from '../../gates/finding.js';
import { bottlerocketAmi } from './bottlerocket-ami.js';
import { controlPlaneLogging } from './control-plane-logging.js';
import { imdsHopLimit } from './imds-hop-limit.js';
import { noSsm } from './no-ssm.js';
import { privateEndpoint } from './private-endpoint.js';
import { releasePinned } from './release-pinned.js';
import { sealIntact } from './seal-intact.js';
import { secretsEncryption } from './secrets-encryption.js';
import { selfManagedCompute } from './self-managed-compute.js';
import type { CfnTemplateJson, TemplateRule } from './template.js';
import { updaterLabel } from './updater-label.js';

export type { CfnTemplateJson, RuleOutcome, TemplateRule } from './template.js';

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

export const ADR_SOURCE = 'ADR-15';

/** Construct path from the template's `aws:cdk:path` metadata, else `<stack>/<logicalId>`. */
function resourceName(template: CfnTemplateJson, stackName: string, logicalId: string): string {
  const path = template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : `${stackName}/${logicalId}`;
}

function findingsOf(rule: AdrRule, evaluate: TemplateRule, template: CfnTemplateJson, stackName: string): GateFinding[] {
  return evaluate(template).map((outcome) => ({
    id: rule.id,
    source: ADR_SOURCE,
    resource: outcome.logicalId === '*' ? stackName : resourceName(template, stackName, outcome.logicalId),
    result: outcome.result,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    adrSection: rule.adrSection,
    nistControls: [...rule.nistControls],
  }));
}

/** Run every ADR rule over one stack's template. */
export function evaluateAdrRules(template: CfnTemplateJson, stackName: string): GateFinding[] {
  return (Object.keys(TEMPLATE_RULES) as Array<keyof typeof TEMPLATE_RULES>).flatMap((key) =>
    findingsOf(ADR_RULES[key], TEMPLATE_RULES[key], template, stackName),
  );
}
