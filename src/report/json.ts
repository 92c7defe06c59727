/**
 * `--format json`: one object per result, `{policy, rule?, resource, result, message, source}`;
 * `source` is the file (relative to `baseDir`) and line of the resource.
 */
import type { PolicyResult } from '../policy-engine/index.js';
import { displayPath } from './resource-name.js';

export interface JsonResult {
  readonly policy: string;
  readonly rule?: string;
  readonly resource: PolicyResult['resource'];
  readonly result: PolicyResult['result'];
  readonly message: string;
  readonly exceptions?: readonly string[];
  readonly source: PolicyResult['source'];
}

export function toJsonResults(results: readonly PolicyResult[], baseDir = process.cwd()): JsonResult[] {
  return results.map((r) => ({
    policy: r.policy,
    ...(r.rule ? { rule: r.rule } : {}),
    resource: r.resource,
    result: r.result,
    message: r.message,
    ...(r.exceptions ? { exceptions: r.exceptions } : {}),
    source: { file: displayPath(r.source.file, baseDir), line: r.source.line },
  }));
}

export function formatJson(results: readonly PolicyResult[], baseDir?: string): string {
  return `${JSON.stringify(toJsonResults(results, baseDir), null, 2)}\n`;
}
