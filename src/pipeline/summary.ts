/** The summary facts of an environment and `summary.md`: per environment the facts, the gate tally and every suppressed finding with its reason. */
import type { EnvironmentModel } from '../config/index.js';
import { treeObjects, type ClusterTree } from '../cluster/tree.js';
import { ADR_RULES } from '../gates/adr-catalogue.js';
import { ruleCoverage, tallyFindings, type GateFinding } from '../gates/finding.js';
import type { EnvironmentSynthResult } from './result.js';

/** Markdown table cells cannot hold raw pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function tallyLine(env: EnvironmentSynthResult): string {
  const { passed, failed, suppressed, notApplicable } = env.tally;
  return `${passed} passed, ${failed} failed, ${suppressed} suppressed, ${notApplicable} not applicable`;
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

/** The facts the summary shows of one environment: its AWS layer, its cluster layer, its promotion verdict. */
export function environmentFacts(env: EnvironmentModel, tree: ClusterTree, findings: readonly GateFinding[]): Record<string, string> {
  const promotion = findings.filter((finding) => finding.id === ADR_RULES.promotion.id);
  const tally = tallyFindings(promotion);
  const overrides = promotion.filter((finding) => finding.result === 'suppressed').map((finding) => `${finding.resource}: ${finding.reason}`);
  const verdict = tally.failed > 0 ? `${tally.failed} version(s) not promoted in order` : tally.suppressed > 0 ? 'promoted in order except overrides' : 'every version promoted in order';
  return {
    stack: env.stackName,
    cluster: env.clusterName,
    'kubernetes version': env.kubernetesVersion,
    'node groups': env.nodeGroups.map((group) => `${group.name} (${group.amiType} ${group.releaseVersion})`).join(', '),
    'cluster layer': `${tree.controller}, ${tree.components.length} components, ${treeObjects(tree).length} objects`,
    promotion: overrides.length > 0 ? `${verdict}; OVERRIDE ${overrides.join('; ')}` : verdict,
  };
}
