/** Terminal table of a fleet aggregate: benchmarks, clusters, nodes, then every flag raised. */
import { benchmarkLabel, type FleetAggregate } from '../aggregate.js';
import { BENCHMARK_LABELS } from '../model.js';

function columns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatTable(fleet: FleetAggregate): string {
  const out: string[] = [];
  out.push(
    `CIS benchmark evidence: ${fleet.reports} reports from ${fleet.nodes.length} nodes; evidence older than ${fleet.window.staleBefore} ` +
      `(interval ${fleet.window.intervalHours}h + grace ${fleet.window.graceHours}h) is stale` +
      (fleet.window.environments
        ? `; environments from the config use their own: ${Object.entries(fleet.window.environments).map(([name, c]) => `${name} ${c.intervalHours}h + ${c.graceHours}h`).join(', ')}`
        : ''),
    '',
    columns(
      ['BENCHMARK', 'LEVEL', 'NAME', 'VERSION', 'NODES', 'PASSED', 'FAILED', 'SKIPPED', 'TOTAL', 'STATUS'],
      fleet.benchmarks.map((b) => [BENCHMARK_LABELS[b.type], `L${b.level}`, b.name || '-', b.versions.join(',') || '-', String(b.nodes), String(b.passed), String(b.failed), String(b.skipped), String(b.total), b.status]),
    ),
    '',
    columns(
      ['ENVIRONMENT', 'CLUSTER', 'NODES', 'FAILING', 'STALE'],
      fleet.clusters.map((c) => [c.environment, c.cluster, String(c.nodes), String(c.failingNodes), String(c.staleNodes)]),
    ),
    '',
    columns(
      ['ENVIRONMENT', 'CLUSTER', 'NODE', 'INSTANCE', 'BOTTLEROCKET', 'VARIANT', 'BENCHMARKS', 'LAST REPORT', 'STATUS'],
      fleet.nodes.map((n) => [
        n.environment,
        n.cluster,
        n.node,
        n.instanceId ?? '-',
        n.bottlerocketVersion ?? '-',
        n.variant ?? '-',
        n.latest.map((r) => `${benchmarkLabel(r)} ${r.counts.passed}/${r.counts.failed}/${r.counts.skipped}`).join(', '),
        n.lastReportAt,
        n.status,
      ]),
    ),
  );
  out.push('', `Bottlerocket versions: ${fleet.versions.map((v) => `${v.version} (${v.variant}) on ${v.nodes} node${v.nodes === 1 ? '' : 's'}`).join('; ')}`);
  if (fleet.failures.length > 0) {
    out.push('', `FAILED checks (${fleet.failures.length}):`);
    for (const f of fleet.failures) {
      out.push(`  ${f.cluster}/${f.node} ${benchmarkLabel(f)} ${f.id} ${f.title}`);
      if (f.note) out.push(`    note: ${f.note}`);
    }
  }
  if (fleet.regressions.length > 0) {
    out.push('', `REGRESSIONS: passed last time, fail now (${fleet.regressions.length}):`);
    for (const r of fleet.regressions) out.push(`  ${r.cluster}/${r.node} ${benchmarkLabel(r)} ${r.id}: PASS at ${r.passedAt}, FAIL at ${r.at}`);
  }
  if (fleet.stale.length > 0) {
    out.push('', `STALE OR MISSING evidence (${fleet.stale.length}):`);
    for (const s of fleet.stale) out.push(`  ${s.cluster}/${s.node} ${benchmarkLabel(s)}: ${s.lastReportAt === null ? 'never reported (other nodes of the cluster do)' : `last report ${s.lastReportAt}`}`);
  }
  if (fleet.conflicts.length > 0) {
    out.push('', `CONFLICTING reports for one node and time; the worst counts (${fleet.conflicts.length}):`);
    for (const c of fleet.conflicts) out.push(`  ${c.cluster}/${c.node} ${benchmarkLabel(c)} at ${c.at}: ${c.sources.map((source, i) => `${c.statuses[i]} ${source}`).join(' vs ')}`);
  }
  out.push('', `Result: ${fleet.status}`);
  return `${out.join('\n')}\n`;
}
