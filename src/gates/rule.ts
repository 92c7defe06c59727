/**
 * The one shape of an ADR-15 rule and the one finding builder. A rule is a small pure function
 * from a typed artifact (the model, a synthesized template, the cluster layer's objects, the
 * ledger) to one outcome per thing it judged: pass, warn or fail (with the reason) or not applicable.
 * A value the rule cannot resolve is a failure, never a pass. Ids and metadata come from the
 * catalogue (`adr-catalogue.ts`); `adrFinding` turns an outcome into a gates.json row.
 */
import type { AdrRule } from './adr-catalogue.js';
import type { GateFinding, GateResult } from './finding.js';

export const ADR_SOURCE = 'ADR-15';

export type RuleResult = 'pass' | 'warn' | 'fail' | 'not-applicable';

export interface Verdict {
  readonly result: RuleResult;
  readonly reason?: string;
}

export const pass = (reason?: string): Verdict => (reason === undefined ? { result: 'pass' } : { result: 'pass', reason });
export const warn = (reason: string): Verdict => ({ result: 'warn', reason });
export const fail = (reason: string): Verdict => ({ result: 'fail', reason });
export const notApplicable = (reason: string): Verdict => ({ result: 'not-applicable', reason });

/**
 * The gates.json row of `rule`'s verdict on `resource`. A verdict may also be `suppressed` when
 * the rule's own input records an accepted exception (a ledger override), with its reason.
 */
export function adrFinding(rule: AdrRule, resource: string, verdict: { readonly result: GateResult; readonly reason?: string }): GateFinding {
  return {
    id: rule.id,
    source: ADR_SOURCE,
    resource,
    result: verdict.result,
    ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
    adrSection: rule.adrSection,
    nistControls: [...rule.nistControls],
  };
}
