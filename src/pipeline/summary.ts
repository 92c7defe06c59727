/** `summary.md`: per environment, the step facts, the gate tally and every suppressed finding with its reason. */
import type { GateFinding } from '../gates/finding.js';
import type { EnvironmentSynthResult } from './synth.js';

/** Markdown table cells cannot hold raw pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function tallyLine(env: EnvironmentSynthResult): string {
  const { passed, failed, suppressed, notApplicable } = env.tally;
  return `${passed} passed, ${failed} failed, ${suppressed} suppressed, ${notApplicable} not applicable`;
}

/**
 * How many rules judged at least one resource, and how many judged none (not applicable), per
 * source: a rule only ever not applicable adds nothing to the evidence, so it is never a pass.
 */
export function ruleCoverage(findings: readonly GateFinding[]): { readonly evaluated: number; readonly notApplicable: number } {
  const key = (finding: GateFinding) => `${finding.source}\u0000${finding.id.replace(/\[.*$/, '')}`;
  const evaluated = new Set(findings.filter((finding) => finding.result !== 'not-applicable').map(key));
  const notApplicable = new Set(findings.filter((finding) => finding.result === 'not-applicable').map(key).filter((rule) => !evaluated.has(rule)));
  return { evaluated: evaluated.size, notApplicable: notApplicable.size };
}

/** Not-applicable findings grouped by what they mean, for the summary. */
function notApplicableRows(findings: readonly GateFinding[]): string[] {
  const byReason = new Map<string, Set<string>>();
  for (const finding of findings.filter((entry) => entry.result === 'not-applicable')) {
    const reason = `${finding.source}: ${finding.reason ?? 'not applicable'}`;
    byReason.set(reason, (byReason.get(reason) ?? new Set()).add(finding.id));
  }
  return [...byReason].sort(([a], [b]) => a.localeCompare(b)).map(([reason, ids]) => `| ${cell(reason)} | ${cell([...ids].sort().join(', '))} |`);
}

export function renderSummaryMarkdown(project: string, environments: readonly EnvironmentSynthResult[]): string {
  const lines = [`# ${project}: synth summary`, ''];
  for (const env of environments) {
    lines.push(`## ${env.name}`, '', '| | |', '|---|---|');
    for (const [key, value] of Object.entries(env.summary)) lines.push(`| ${cell(key)} | ${cell(value)} |`);
    const coverage = ruleCoverage(env.findings);
    lines.push(`| gates | ${tallyLine(env)} |`, `| rules | ${coverage.evaluated} evaluated a resource, ${coverage.notApplicable} not applicable (none counted as a pass) |`, '');
    const suppressed = env.findings.filter((finding) => finding.result === 'suppressed');
    if (suppressed.length > 0) {
      lines.push('Suppressed findings:', '', '| rule | resource | reason |', '|---|---|---|');
      for (const finding of suppressed) lines.push(`| ${cell(finding.id)} | ${cell(finding.resource)} | ${cell(finding.reason ?? '')} |`);
      lines.push('');
    }
    const notApplicable = notApplicableRows(env.findings);
    if (notApplicable.length > 0) lines.push('Rules that evaluated no resource (not applicable), and why:', '', '| meaning | rules |', '|---|---|', ...notApplicable, '');
  }
  return `${lines.join('\n')}\n`;
}
