/**
 * The one shape every gate reports in, whatever checked it (cdk-nag, cfn-guard, the ADR rules,
 * the cluster-layer checks, the promotion rule), and `<env>/gates.json`, which holds them with
 * their tally and how many rules evaluated a resource.
 */
import { z } from 'zod';

export const gateResultSchema = z.enum(['pass', 'fail', 'suppressed', 'not-applicable']);

export const gateFindingSchema = z.strictObject({
  /** Rule id, e.g. `ADR15-IMDS-1`, `AwsSolutions-EKS1`, `NIST.800.53.R5-IAMNoInlinePolicy`, `ct-eks-pr-1`. */
  id: z.string().min(1),
  /** Which pack or engine evaluated the rule, e.g. `ADR-15`, `AwsSolutions`, `NIST.800.53.R5`, `control-tower`. */
  source: z.string().min(1),
  /** What was checked: a construct path, a logical id, or `<kind>/<namespace>/<name>` for manifests. */
  resource: z.string().min(1),
  result: gateResultSchema,
  /** Why it failed, or the written reason of a suppression. */
  reason: z.string().optional(),
  /** ADR-15 section the rule enforces (ADR rules only). */
  adrSection: z.string().optional(),
  /** NIST SP 800-53 rev 5 controls the rule supports. */
  nistControls: z.array(z.string()).optional(),
});

export type GateResult = z.infer<typeof gateResultSchema>;
export type GateFinding = z.infer<typeof gateFindingSchema>;

export interface GateTally {
  readonly passed: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly notApplicable: number;
}

export function tallyFindings(findings: readonly GateFinding[]): GateTally {
  const count = (result: GateResult) => findings.filter((f) => f.result === result).length;
  return { passed: count('pass'), failed: count('fail'), suppressed: count('suppressed'), notApplicable: count('not-applicable') };
}

export interface RuleCoverage {
  /** Rules that judged at least one resource. */
  readonly evaluated: number;
  /** Rules that judged none: they add nothing to the evidence, so they never count as a pass. */
  readonly notApplicable: number;
}

/** How many rules (by source and id, a per-resource `[…]` suffix aside) judged a resource, and how many judged none. */
export function ruleCoverage(findings: readonly GateFinding[]): RuleCoverage {
  const key = (finding: GateFinding) => `${finding.source}\u0000${finding.id.replace(/\[.*$/, '')}`;
  const evaluated = new Set(findings.filter((finding) => finding.result !== 'not-applicable').map(key));
  const notApplicable = new Set(findings.filter((finding) => finding.result === 'not-applicable').map(key).filter((rule) => !evaluated.has(rule)));
  return { evaluated: evaluated.size, notApplicable: notApplicable.size };
}

const count = z.number().int().nonnegative();

/** `<env>/gates.json`: what `deploy` reads back, and pipelines and auditors read. */
export const gateReportSchema = z.strictObject({
  environment: z.string().min(1),
  rules: z.strictObject({ evaluated: count, notApplicable: count }),
  tally: z.strictObject({ passed: count, failed: count, suppressed: count, notApplicable: count }),
  findings: z.array(gateFindingSchema),
});

export type GateReport = z.infer<typeof gateReportSchema>;

export function gateReport(environment: string, findings: readonly GateFinding[]): GateReport {
  return { environment, rules: ruleCoverage(findings), tally: tallyFindings(findings), findings: [...findings] };
}
