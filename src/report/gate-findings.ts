/**
 * Output formats for gate findings over CloudFormation templates (`bottlerocket-eks check`):
 * a `table` of failures and warnings for people, `json` (every finding with rule id, resource,
 * result and reason), SARIF 2.1.0 (one result per failure, level `error`, and per warning, level
 * `warning`, located at the template file; suppressed findings kept as suppressed results) and
 * JUnit XML (one suite per template, one case per finding; a not-applicable rule is `skipped`,
 * never a pass; a warning is a passing case carrying the warning in `system-out` and a
 * `warning` property, never a failure). Pure functions from findings to text.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { GateFormat } from './formats.js';
import { displayPath } from './resource-name.js';
import { sarifLog } from './sarif.js';

/** What the formats need of a finding (a `CheckFinding` of src/gates/check.ts). */
export interface TemplateFinding {
  readonly template: string;
  readonly id: string;
  readonly source: string;
  readonly resource: string;
  readonly result: 'pass' | 'warn' | 'fail' | 'suppressed' | 'not-applicable';
  readonly reason?: string;
}

export interface GateFormatOptions {
  /** Directory SARIF artifact paths are relative to. */
  readonly baseDir: string;
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** What the table and SARIF show: failures, warnings and suppressed findings (passes and not-applicable stay in json and JUnit). */
function reported(finding: TemplateFinding): boolean {
  return finding.result === 'fail' || finding.result === 'warn' || finding.result === 'suppressed';
}

function tally(findings: readonly TemplateFinding[]): string {
  const count = (result: TemplateFinding['result']) => findings.filter((finding) => finding.result === result).length;
  const rules = new Set(findings.filter((finding) => finding.result !== 'not-applicable').map((finding) => `${finding.source}\u0000${finding.id}`)).size;
  return `${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed, ${count('suppressed')} suppressed, ${count('not-applicable')} not applicable; ${rules} rules evaluated a resource`;
}

function formatTable(findings: readonly TemplateFinding[]): string {
  const rows = findings.filter(reported).map((finding) => [finding.result.toUpperCase(), finding.id, finding.resource, oneLine(finding.reason)]);
  const headers = ['RESULT', 'RULE', 'RESOURCE', 'REASON'];
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  ').trimEnd();
  const templates = [...new Set(findings.map((finding) => finding.template))];
  return `${[...(rows.length > 0 ? [line(headers), ...rows.map(line), ''] : []), `${templates.length} template(s): ${tally(findings)}`].join('\n')}\n`;
}

function formatJson(findings: readonly TemplateFinding[]): string {
  const rows = findings.map((finding) => ({
    ruleId: finding.id,
    source: finding.source,
    template: finding.template,
    resource: finding.resource,
    result: finding.result,
    ...(finding.reason === undefined ? {} : { reason: finding.reason }),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function toGateSarif(findings: readonly TemplateFinding[], options: GateFormatOptions) {
  const ruleIds = [...new Set(findings.map((finding) => finding.id))].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const sourceOf = new Map(findings.map((finding) => [finding.id, finding.source]));
  return sarifLog(
    { rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: `${sourceOf.get(id)} rule ${id}` }, properties: { tags: ['security', 'cloudformation', sourceOf.get(id)] } })) },
    findings.filter(reported).map((finding) => ({
      ruleId: finding.id,
      ruleIndex: ruleIndex.get(finding.id),
      level: finding.result === 'warn' ? ('warning' as const) : ('error' as const),
      message: { text: `${finding.resource}: ${oneLine(finding.reason) || 'failed'}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: displayPath(finding.template, options.baseDir) } },
          logicalLocations: [{ fullyQualifiedName: finding.resource, kind: 'resource' }],
        },
      ],
      ...(finding.result === 'suppressed' ? { suppressions: [{ kind: 'external' as const, justification: oneLine(finding.reason) }] } : {}),
      properties: { source: finding.source },
    })),
  );
}

function formatJunit(findings: readonly TemplateFinding[]): string {
  const templates = [...new Set(findings.map((finding) => finding.template))];
  const suites = templates.map((template) => {
    const own = findings.filter((finding) => finding.template === template);
    return {
      '@_name': template,
      '@_tests': own.length,
      '@_failures': own.filter((finding) => finding.result === 'fail').length,
      '@_skipped': own.filter((finding) => finding.result === 'not-applicable' || finding.result === 'suppressed').length,
      '@_errors': 0,
      testcase: own.map((finding) => ({
        '@_name': `${finding.id} ${finding.resource}`,
        '@_classname': `${finding.source}.${finding.id}`,
        ...(finding.result === 'fail' ? { failure: { '@_message': oneLine(finding.reason) || 'failed', '@_type': finding.id } } : {}),
        ...(finding.result === 'not-applicable' ? { skipped: { '@_message': `not applicable: ${oneLine(finding.reason)}` } } : {}),
        ...(finding.result === 'suppressed' ? { skipped: { '@_message': `suppressed: ${oneLine(finding.reason)}` } } : {}),
        // JUnit has no warning outcome: the case passes and says so where CI shows a case's output.
        ...(finding.result === 'warn' ? { properties: { property: { '@_name': 'warning', '@_value': oneLine(finding.reason) } }, 'system-out': `WARNING ${finding.id}: ${oneLine(finding.reason)}` } : {}),
      })),
    };
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  const sum = (key: '@_tests' | '@_failures' | '@_skipped') => suites.reduce((total, suite) => total + suite[key], 0);
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'bottlerocket-eks check', '@_tests': sum('@_tests'), '@_failures': sum('@_failures'), '@_skipped': sum('@_skipped'), '@_errors': 0, testsuite: suites },
  }) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}

export function formatGateFindings(format: GateFormat, findings: readonly TemplateFinding[], options: GateFormatOptions): string {
  switch (format) {
    case 'table':
      return formatTable(findings);
    case 'json':
      return formatJson(findings);
    case 'sarif':
      return `${JSON.stringify(toGateSarif(findings, options), null, 2)}\n`;
    case 'junit':
      return formatJunit(findings);
  }
}
