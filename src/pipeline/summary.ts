/** `summary.md`: per environment, the step facts, the gate tally and every suppressed finding with its reason. */
import type { EnvironmentSynthResult } from './synth.js';

/** Markdown table cells cannot hold raw pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function tallyLine(env: EnvironmentSynthResult): string {
  const { passed, failed, suppressed, notApplicable } = env.tally;
  return `${passed} passed, ${failed} failed, ${suppressed} suppressed, ${notApplicable} not applicable`;
}

export function renderSummaryMarkdown(project: string, environments: readonly EnvironmentSynthResult[]): string {
  const lines = [`# ${project}: synth summary`, ''];
  for (const env of environments) {
    lines.push(`## ${env.name}`, '', '| | |', '|---|---|');
    for (const [key, value] of Object.entries(env.summary)) lines.push(`| ${cell(key)} | ${cell(value)} |`);
    lines.push(`| gates | ${tallyLine(env)} |`, '');
    const suppressed = env.findings.filter((finding) => finding.result === 'suppressed');
    if (suppressed.length > 0) {
      lines.push('Suppressed findings:', '', '| rule | resource | reason |', '|---|---|---|');
      for (const finding of suppressed) lines.push(`| ${cell(finding.id)} | ${cell(finding.resource)} | ${cell(finding.reason ?? '')} |`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}
