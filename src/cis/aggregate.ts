/**
 * Fleet view of CIS reports: the latest report per node and benchmark decides the node's state;
 * earlier ones find regressions (passed last time, fails now); the time of the latest report
 * finds stale or missing evidence. Pure: `now` and the window come from the caller.
 */
import { BENCHMARK_LABELS, type BenchmarkLevel, type BenchmarkType, type CheckStatus, type CisReport } from './model.js';
import { UNKNOWN } from './origin.js';
import { sealTradeOff } from './trade-offs.js';

export interface Cadence {
  readonly intervalHours: number;
  readonly graceHours: number;
}

export interface FreshnessWindow extends Cadence {
  readonly now: Date;
  /** Environments with their own cadence (`cis.intervalHours`/`graceHours` of each environment). */
  readonly environments?: Readonly<Record<string, Cadence>>;
}

export interface NodeKey {
  readonly environment: string;
  readonly cluster: string;
  readonly node: string;
}

export interface BenchmarkKey {
  readonly type: BenchmarkType;
  readonly level: BenchmarkLevel;
}

export interface CheckOutcome extends NodeKey, BenchmarkKey {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly at: string;
  /** Set when the check is a known seal-vs-CIS trade-off. */
  readonly note?: string;
}

export interface Regression extends CheckOutcome {
  readonly passedAt: string;
}

export interface NodeState extends NodeKey {
  readonly instanceId?: string;
  readonly bottlerocketVersion?: string;
  readonly variant?: string;
  /** Latest report per benchmark, sorted by benchmark. */
  readonly latest: readonly CisReport[];
  readonly lastReportAt: string;
  readonly status: CheckStatus;
}

export interface StaleEvidence extends NodeKey, BenchmarkKey {
  /** `null` when the node never reported this benchmark though others in its cluster did. */
  readonly lastReportAt: string | null;
}

/**
 * Reports for one node and benchmark at the same instant that disagree (a PASS and a FAIL, or
 * different check results). Neither can be trusted over the other, so the worse one counts
 * (fail closed) and the fleet fails.
 */
export interface ReportConflict extends NodeKey, BenchmarkKey {
  readonly at: string;
  /** Every report at that instant, worst first. */
  readonly sources: readonly string[];
  readonly statuses: readonly CheckStatus[];
}

export interface BenchmarkSummary extends BenchmarkKey {
  readonly name: string;
  readonly versions: readonly string[];
  readonly nodes: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly total: number;
  readonly status: CheckStatus;
}

export interface CheckSummary extends BenchmarkKey {
  readonly id: string;
  readonly title: string;
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  readonly note?: string;
}

export interface ClusterSummary {
  readonly environment: string;
  readonly cluster: string;
  readonly nodes: number;
  readonly failingNodes: number;
  readonly staleNodes: number;
}

export interface FleetAggregate {
  readonly generatedAt: string;
  /** The default cadence; environments listed in `environments` use their own. */
  readonly window: { readonly intervalHours: number; readonly graceHours: number; readonly staleBefore: string; readonly environments?: Readonly<Record<string, Cadence>> };
  readonly reports: number;
  readonly status: CheckStatus;
  readonly clusters: readonly ClusterSummary[];
  readonly nodes: readonly NodeState[];
  readonly benchmarks: readonly BenchmarkSummary[];
  readonly checks: readonly CheckSummary[];
  readonly failures: readonly CheckOutcome[];
  readonly regressions: readonly Regression[];
  readonly stale: readonly StaleEvidence[];
  readonly conflicts: readonly ReportConflict[];
  readonly versions: ReadonlyArray<{ readonly version: string; readonly variant: string; readonly nodes: number }>;
}

export const benchmarkLabel = (b: BenchmarkKey): string => `${BENCHMARK_LABELS[b.type]} L${b.level}`;
const benchmarkId = (b: BenchmarkKey) => `${b.type}:${b.level}`;
const nodeId = (n: NodeKey) => `${n.environment}\u0000${n.cluster}\u0000${n.node}`;
/** Parsed once per report: Date.parse on nanosecond timestamps is not free at fleet scale. */
const times = new WeakMap<CisReport, number>();
function timeOf(report: CisReport): number {
  let time = times.get(report);
  if (time === undefined) times.set(report, (time = Date.parse(report.timestamp)));
  return time;
}
/** Check results of a report, to tell a copy of the same report from a disagreeing one. */
const fingerprints = new WeakMap<CisReport, string>();
function fingerprintOf(report: CisReport): string {
  let print = fingerprints.get(report);
  if (print === undefined) fingerprints.set(report, (print = `${report.status}|${report.checks.map((c) => `${c.id}=${c.status}`).join(',')}`));
  return print;
}
const STATUS_RANK: Readonly<Record<CheckStatus, number>> = { SKIP: 0, PASS: 1, FAIL: 2 };
/**
 * Report time, and at the same instant the worse report last, so it is the one that counts; never
 * the order the files were read in (file names say nothing about time).
 */
const byTime = (a: CisReport, b: CisReport) =>
  timeOf(a) - timeOf(b) || STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.counts.failed - b.counts.failed || compareText(fingerprintOf(a), fingerprintOf(b));
/** Code-point order: stable across locales and far cheaper than localeCompare on a 5,000-node fleet. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function aggregate(reports: readonly CisReport[], window: FreshnessWindow): FleetAggregate {
  const staleAfterHours = (c: Cadence) => c.intervalHours + c.graceHours;
  const staleBefore = new Date(window.now.getTime() - staleAfterHours(window) * 3_600_000);
  const staleBeforeFor = (environment: string) => {
    const cadence = window.environments?.[environment];
    return cadence ? window.now.getTime() - staleAfterHours(cadence) * 3_600_000 : staleBefore.getTime();
  };
  // node -> benchmark -> reports (oldest first)
  const history = new Map<string, { key: NodeKey; byBenchmark: Map<string, CisReport[]> }>();
  for (const report of reports) {
    const key: NodeKey = { environment: report.origin.environment ?? UNKNOWN, cluster: report.origin.cluster, node: report.origin.node };
    const id = nodeId(key);
    let entry = history.get(id);
    if (!entry) history.set(id, (entry = { key, byBenchmark: new Map() }));
    const list = entry.byBenchmark.get(benchmarkId(report));
    if (list) list.push(report);
    else entry.byBenchmark.set(benchmarkId(report), [report]);
  }

  const nodes: NodeState[] = [];
  const failures: CheckOutcome[] = [];
  const regressions: Regression[] = [];
  const stale: StaleEvidence[] = [];
  const conflicts: ReportConflict[] = [];
  const clusterBenchmarks = new Map<string, Map<string, BenchmarkKey>>();
  for (const { key, byBenchmark } of history.values()) {
    const clusterId = `${key.environment}\u0000${key.cluster}`;
    const seen = clusterBenchmarks.get(clusterId) ?? new Map<string, BenchmarkKey>();
    clusterBenchmarks.set(clusterId, seen);
    const latest: CisReport[] = [];
    for (const list of byBenchmark.values()) {
      list.sort(byTime);
      conflicts.push(...conflictsOf(key, list));
      const current = list[list.length - 1]!;
      const previous = list[list.length - 2];
      latest.push(current);
      seen.set(benchmarkId(current), { type: current.type, level: current.level });
      const passedBefore = new Set(previous?.checks.filter((c) => c.status === 'PASS').map((c) => c.id));
      for (const check of current.checks) {
        if (check.status !== 'FAIL') continue;
        const note = sealTradeOff(current.type, check.id);
        const outcome: CheckOutcome = { ...key, type: current.type, level: current.level, id: check.id, title: check.title, status: check.status, at: current.timestamp, ...(note ? { note } : {}) };
        failures.push(outcome);
        if (previous && passedBefore.has(check.id)) regressions.push({ ...outcome, passedAt: previous.timestamp });
      }
      if (timeOf(current) < staleBeforeFor(key.environment)) stale.push({ ...key, type: current.type, level: current.level, lastReportAt: current.timestamp });
    }
    latest.sort((a, b) => compareText(benchmarkId(a), benchmarkId(b)));
    const newest = latest.reduce((a, b) => (byTime(a, b) >= 0 ? a : b));
    const origin = newest.origin;
    nodes.push({
      ...key,
      ...(origin.instanceId ? { instanceId: origin.instanceId } : {}),
      ...(origin.bottlerocketVersion ? { bottlerocketVersion: origin.bottlerocketVersion } : {}),
      ...(origin.variant ? { variant: origin.variant } : {}),
      latest,
      lastReportAt: newest.timestamp,
      status: latest.some((r) => r.status === 'FAIL') ? 'FAIL' : latest.some((r) => r.status === 'PASS') ? 'PASS' : 'SKIP',
    });
  }
  // Missing evidence: a benchmark other nodes of the same cluster report, this node never did.
  for (const node of nodes) {
    const expected = clusterBenchmarks.get(`${node.environment}\u0000${node.cluster}`)!;
    for (const [id, benchmark] of expected) {
      if (!node.latest.some((r) => benchmarkId(r) === id)) stale.push({ environment: node.environment, cluster: node.cluster, node: node.node, ...benchmark, lastReportAt: null });
    }
  }
  const compareNodes = (a: NodeKey, b: NodeKey) => compareText(a.environment, b.environment) || compareText(a.cluster, b.cluster) || compareText(a.node, b.node);
  nodes.sort(compareNodes);
  const compareOutcomes = (a: NodeKey & BenchmarkKey & { id?: string }, b: NodeKey & BenchmarkKey & { id?: string }) =>
    compareNodes(a, b) || compareText(benchmarkId(a), benchmarkId(b)) || compareIds(a.id ?? '', b.id ?? '');
  failures.sort(compareOutcomes);
  regressions.sort(compareOutcomes);
  stale.sort(compareOutcomes);
  conflicts.sort((a, b) => compareOutcomes(a, b) || compareText(a.at, b.at));

  return {
    generatedAt: window.now.toISOString(),
    window: {
      intervalHours: window.intervalHours,
      graceHours: window.graceHours,
      staleBefore: staleBefore.toISOString(),
      ...(window.environments ? { environments: window.environments } : {}),
    },
    reports: reports.length,
    status: failures.length > 0 || conflicts.length > 0 ? 'FAIL' : nodes.some((n) => n.status === 'PASS') ? 'PASS' : 'SKIP',
    clusters: summarizeClusters(nodes, stale),
    nodes,
    benchmarks: summarizeBenchmarks(nodes),
    checks: summarizeChecks(nodes),
    failures,
    regressions,
    stale,
    conflicts,
    versions: summarizeVersions(nodes),
  };
}

/** Runs of reports at the same instant (in a time-sorted list) whose results differ. */
function conflictsOf(key: NodeKey, sorted: readonly CisReport[]): ReportConflict[] {
  const out: ReportConflict[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && timeOf(sorted[end]!) === timeOf(sorted[start]!)) end++;
    const same = sorted.slice(start, end).reverse();
    if (new Set(same.map(fingerprintOf)).size > 1) {
      const first = same[0]!;
      out.push({ ...key, type: first.type, level: first.level, at: first.timestamp, sources: same.map((r) => r.source), statuses: same.map((r) => r.status) });
    }
    start = end;
  }
  return out;
}

/** `4.2.9` before `4.2.10`. */
function compareIds(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = Number(x[i] ?? -1) - Number(y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function summarizeClusters(nodes: readonly NodeState[], stale: readonly StaleEvidence[]): ClusterSummary[] {
  const clusters = new Map<string, { environment: string; cluster: string; nodes: number; failingNodes: number; staleNodes: Set<string> }>();
  const idOf = (n: { environment: string; cluster: string }) => `${n.environment}\u0000${n.cluster}`;
  for (const node of nodes) {
    const entry = clusters.get(idOf(node)) ?? { environment: node.environment, cluster: node.cluster, nodes: 0, failingNodes: 0, staleNodes: new Set<string>() };
    entry.nodes += 1;
    if (node.status === 'FAIL') entry.failingNodes += 1;
    clusters.set(idOf(node), entry);
  }
  for (const s of stale) clusters.get(idOf(s))?.staleNodes.add(s.node);
  return [...clusters.values()].map(({ staleNodes, ...rest }) => ({ ...rest, staleNodes: staleNodes.size }));
}

function summarizeBenchmarks(nodes: readonly NodeState[]): BenchmarkSummary[] {
  const summaries = new Map<string, { key: BenchmarkKey; name: string; versions: Set<string>; nodes: number; passed: number; failed: number; skipped: number; total: number }>();
  for (const report of nodes.flatMap((n) => n.latest)) {
    const id = benchmarkId(report);
    const entry = summaries.get(id) ?? { key: { type: report.type, level: report.level }, name: report.benchmark.name ?? '', versions: new Set<string>(), nodes: 0, passed: 0, failed: 0, skipped: 0, total: 0 };
    entry.nodes += 1;
    entry.passed += report.counts.passed;
    entry.failed += report.counts.failed;
    entry.skipped += report.counts.skipped;
    entry.total += report.counts.total;
    if (report.benchmark.version) entry.versions.add(report.benchmark.version);
    if (!entry.name && report.benchmark.name) entry.name = report.benchmark.name;
    summaries.set(id, entry);
  }
  return [...summaries.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, e]) => ({
      ...e.key,
      name: e.name,
      versions: [...e.versions].sort(),
      nodes: e.nodes,
      passed: e.passed,
      failed: e.failed,
      skipped: e.skipped,
      total: e.total,
      status: e.failed > 0 ? 'FAIL' : e.passed > 0 ? 'PASS' : 'SKIP',
    }));
}

function summarizeChecks(nodes: readonly NodeState[]): CheckSummary[] {
  type Tally = { type: BenchmarkType; level: BenchmarkLevel; id: string; title: string; pass: number; fail: number; skip: number };
  // benchmark -> check id -> tally; nested maps avoid building a key string per check of the fleet.
  const byBenchmark = new Map<string, Map<string, Tally>>();
  for (const report of nodes.flatMap((n) => n.latest)) {
    let checks = byBenchmark.get(benchmarkId(report));
    if (!checks) byBenchmark.set(benchmarkId(report), (checks = new Map()));
    for (const check of report.checks) {
      let entry = checks.get(check.id);
      if (!entry) checks.set(check.id, (entry = { type: report.type, level: report.level, id: check.id, title: check.title, pass: 0, fail: 0, skip: 0 }));
      if (check.status === 'PASS') entry.pass += 1;
      else if (check.status === 'FAIL') entry.fail += 1;
      else entry.skip += 1;
    }
  }
  return [...byBenchmark.values()]
    .flatMap((checks) => [...checks.values()])
    .sort((a, b) => compareText(benchmarkId(a), benchmarkId(b)) || compareIds(a.id, b.id))
    .map((c) => {
      const note = c.fail > 0 ? sealTradeOff(c.type, c.id) : undefined;
      return note ? { ...c, note } : c;
    });
}

function summarizeVersions(nodes: readonly NodeState[]): Array<{ version: string; variant: string; nodes: number }> {
  const versions = new Map<string, { version: string; variant: string; nodes: number }>();
  for (const node of nodes) {
    const version = node.bottlerocketVersion ?? UNKNOWN;
    const variant = node.variant ?? UNKNOWN;
    const id = `${version}\u0000${variant}`;
    const entry = versions.get(id) ?? { version, variant, nodes: 0 };
    entry.nodes += 1;
    versions.set(id, entry);
  }
  return [...versions.values()].sort((a, b) => compareText(a.version, b.version) || compareText(a.variant, b.variant));
}
