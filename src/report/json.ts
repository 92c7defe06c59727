/** `--format json`: one object per result, `{policy, rule?, resource, result, message}`. */
import type { PolicyResult } from '../policy-engine/index.js';

export interface JsonResult {
  readonly policy: string;
  readonly rule?: string;
  readonly resource: PolicyResult['resource'];
  readonly result: PolicyResult['result'];
  readonly message: string;
  readonly exceptions?: readonly string[];
}

export function toJsonResults(results: readonly PolicyResult[]): JsonResult[] {
  return results.map((r) => ({
    policy: r.policy,
    ...(r.rule ? { rule: r.rule } : {}),
    resource: r.resource,
    result: r.result,
    message: r.message,
    ...(r.exceptions ? { exceptions: r.exceptions } : {}),
  }));
}

export function formatJson(results: readonly PolicyResult[]): string {
  return `${JSON.stringify(toJsonResults(results), null, 2)}\n`;
}
