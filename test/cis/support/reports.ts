/** Build CIS reports the way the Bottlerocket API serves them, from the ADR's two real reports. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTextReport } from '../../../src/cis/parse-text.js';
import { overallStatus } from '../../../src/cis/consistency.js';
import { BENCHMARK_NAMES, EVIDENCE_KIND, type ApiReport, type BenchmarkLevel, type BenchmarkType, type CheckStatus, type Evidence } from '../../../src/cis/model.js';

export const ADR_DIR = fileURLToPath(new URL('../fixtures/adr/', import.meta.url));
export const ADR_FILES = { bottlerocket: `${ADR_DIR}cis-L1.txt`, kubernetes: `${ADR_DIR}cis-k8s-L2.txt` } as const;

const ADR = {
  bottlerocket: parseTextReport('cis-L1.txt', readFileSync(ADR_FILES.bottlerocket, 'utf8')),
  kubernetes: parseTextReport('cis-k8s-L2.txt', readFileSync(ADR_FILES.kubernetes, 'utf8')),
};

/** Checker name from the CIS id: prefix plus two digits per id level, four levels (`4.2.13` → `k8s04021300`). */
export function checkerName(type: BenchmarkType, id: string): string {
  const parts = id.split('.').map((p) => p.padStart(2, '0'));
  while (parts.length < 4) parts.push('00');
  return `${type === 'bottlerocket' ? 'br' : 'k8s'}${parts.join('')}`;
}

export interface ReportSpec {
  readonly type: BenchmarkType;
  readonly level?: BenchmarkLevel;
  readonly timestamp: string;
  /** Status overrides by CIS id; the rest keep the ADR's status. */
  readonly statuses?: Readonly<Record<string, CheckStatus>>;
}

export function apiReport(spec: ReportSpec): ApiReport {
  const adr = ADR[spec.type];
  const checks = adr.checks.map((c) => ({ ...c, status: spec.statuses?.[c.id] ?? c.status }));
  const results: ApiReport['results'] = {};
  for (const c of checks) {
    results[checkerName(spec.type, c.id)] = {
      name: checkerName(spec.type, c.id),
      id: c.id,
      level: 1,
      title: c.title,
      mode: c.mode,
      status: c.status,
      error: c.mode === 'Manual' ? 'Manual check, see benchmark for audit details.' : c.status === 'FAIL' ? `${c.id} is not configured as the benchmark requires` : '',
    };
  }
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  return {
    name: BENCHMARK_NAMES[spec.type],
    version: adr.benchmark.version!,
    url: adr.benchmark.url!,
    level: spec.level ?? adr.level,
    status: overallStatus(checks),
    timestamp: spec.timestamp,
    total: checks.length,
    passed: count('PASS'),
    skipped: count('SKIP'),
    failed: count('FAIL'),
    results,
  };
}

export interface EvidenceSpec extends ReportSpec {
  readonly cluster: string;
  readonly node: string;
  readonly version?: string;
}

export function evidence(spec: EvidenceSpec): Evidence {
  const report = apiReport(spec);
  return {
    kind: EVIDENCE_KIND,
    cluster: spec.cluster,
    node: spec.node,
    instanceId: `i-0${Buffer.from(spec.node).toString('hex').slice(0, 16).padEnd(16, '0')}`,
    bottlerocket: { version: spec.version ?? '1.47.0', variant: 'aws-k8s-1.33', arch: 'x86_64', buildId: '6154605b' },
    benchmark: { type: spec.type, level: report.level },
    collectedAt: spec.timestamp,
    report,
  };
}
