/** Output formats for policy results: table, json, sarif (2.1.0), policyreport (wgpolicyk8s.io/v1alpha2). */
import type { PolicyInfo, PolicyResult } from '../policy-engine/index.js';
import { formatJson } from './json.js';
import { formatPolicyReports } from './policyreport.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

import type { ReportFormat } from './formats.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface FormatOptions {
  /** Directory SARIF artifact paths are relative to. */
  readonly baseDir: string;
  readonly now?: Date;
}

export function formatResults(format: ReportFormat, results: readonly PolicyResult[], policies: readonly PolicyInfo[], options: FormatOptions): string {
  switch (format) {
    case 'table':
      return formatTable(results, options.baseDir);
    case 'json':
      return formatJson(results, options.baseDir);
    case 'sarif':
      return formatSarif(results, policies, { baseDir: options.baseDir });
    case 'policyreport':
      return formatPolicyReports(results, policies, { now: options.now });
  }
}

export { toJsonResults, type JsonResult } from './json.js';
export { toSarif, SARIF_SCHEMA } from './sarif.js';
export { toPolicyReports, POLICY_REPORT_API_VERSION, REPORT_NAME } from './policyreport.js';
