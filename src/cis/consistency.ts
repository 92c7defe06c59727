/**
 * Fail closed: a report whose parts disagree is an error, never a pass. Rules from bloodhound's
 * `results.rs`: total = passed + failed + skipped, each count equals the checks with that status,
 * overall FAIL if any check failed, PASS if one passed and none failed, SKIP otherwise.
 */
import { UserInputError, UserInputErrors, type SourcePosition } from '../common/errors.js';
import type { CheckStatus, CisCheck, CisReport } from './model.js';

/** A part of a report an error can point at; each reader maps it to a file position. */
export type ReportPart =
  | { readonly part: 'check'; readonly index: number }
  | { readonly part: 'count'; readonly field: 'total' | 'passed' | 'failed' | 'skipped' }
  | { readonly part: 'status' };

export type Locate = (where: ReportPart) => SourcePosition;

export function overallStatus(checks: readonly Pick<CisCheck, 'status'>[]): CheckStatus {
  if (checks.some((c) => c.status === 'FAIL')) return 'FAIL';
  return checks.some((c) => c.status === 'PASS') ? 'PASS' : 'SKIP';
}

const CHECKER_PREFIX = { bottlerocket: 'br', kubernetes: 'k8s' } as const;

/** Throws every inconsistency found in `report`, each at its position. */
export function assertConsistent(report: Omit<CisReport, 'source' | 'origin'>, locate: Locate): void {
  const errors: UserInputError[] = [];
  const fail = (message: string, where: ReportPart) => errors.push(new UserInputError(message, { position: locate(where) }));
  const { counts, checks } = report;

  if (counts.total !== counts.passed + counts.failed + counts.skipped) {
    fail(`inconsistent counts: total ${counts.total} != passed ${counts.passed} + failed ${counts.failed} + skipped ${counts.skipped}`, { part: 'count', field: 'total' });
  }
  if (checks.length !== counts.total) {
    fail(`inconsistent report: total says ${counts.total} checks but ${checks.length} are listed (truncated?)`, { part: 'count', field: 'total' });
  }
  const tally: Record<CheckStatus, number> = { PASS: 0, FAIL: 0, SKIP: 0 };
  for (const check of checks) tally[check.status] += 1;
  for (const [field, status] of [['passed', 'PASS'], ['failed', 'FAIL'], ['skipped', 'SKIP']] as const) {
    if (counts[field] !== tally[status]) fail(`inconsistent counts: ${field} is ${counts[field]} but ${tally[status]} checks are ${status}`, { part: 'count', field });
  }
  const expected = overallStatus(checks);
  if (report.status !== expected) fail(`inconsistent overall status ${report.status}: the checks make it ${expected}`, { part: 'status' });

  const seen = new Map<string, number>();
  checks.forEach((check, index) => {
    const first = seen.get(check.id);
    if (first !== undefined) {
      const at = locate({ part: 'check', index: first });
      fail(`duplicate check id ${check.id} (first at line ${at.line})`, { part: 'check', index });
    } else seen.set(check.id, index);
    if (check.name !== undefined && !check.name.startsWith(CHECKER_PREFIX[report.type])) {
      fail(`checker ${check.name} does not belong to the ${report.type} benchmark`, { part: 'check', index });
    }
  });
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new UserInputErrors(errors);
}
