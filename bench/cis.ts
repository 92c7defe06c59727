/**
 * `npm run bench:cis`: a fleet of 5,000 nodes, each with its Bottlerocket L1 and Kubernetes L2
 * evidence as the collector stores it (10,000 files in the bucket layout, in a temp folder), then
 * `cis report`'s ingest: read, validate strictly, aggregate. Prints wall time of the ingest and the
 * process's CPU time and peak RSS. Aim: under 2 s.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ingest } from '../src/cis/ingest.js';
import { evidenceKey } from '../src/cis/origin.js';
import { s3Client } from '../src/cis/s3.js';
import { evidence } from '../test/cis/support/reports.js';

const NODES = 5_000;
const CLUSTERS = 5;
const AIM_MS = 2_000;

const root = await mkdtemp(join(tmpdir(), 'cis-bench-'));
try {
  const collectedAt = '2026-01-15T03:00:00.000000000Z';
  const writes: Array<Promise<void>> = [];
  for (let n = 0; n < NODES; n++) {
    const cluster = `bench-${n % CLUSTERS}`;
    const node = `ip-10-0-${Math.floor(n / 250)}-${n % 250}.ec2.internal`;
    for (const type of ['bottlerocket', 'kubernetes'] as const) {
      // One node in a hundred fails the seal-vs-CIS check, so the failure paths run too.
      const data = evidence({ type, cluster, node, timestamp: collectedAt, ...(type === 'kubernetes' && n % 100 === 0 ? { statuses: { '4.2.13': 'FAIL' } } : {}) });
      const path = join(root, evidenceKey(cluster, node, type, data.benchmark.level, new Date(collectedAt)));
      writes.push(mkdir(dirname(path), { recursive: true }).then(() => writeFile(path, `${JSON.stringify(data, null, 2)}\n`)));
    }
    if (writes.length >= 512) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { reports, fleet } = await ingest([root], {}, { now: new Date('2026-01-15T12:00:00Z'), intervalHours: 24, graceHours: 6 }, () => s3Client());
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;

  process.stdout.write(
    [
      `cis bench: ${reports.length} reports from ${fleet.nodes.length} nodes in ${fleet.clusters.length} clusters ingested and aggregated`,
      `  time:      ${elapsed.toFixed(0)} ms (aim < ${AIM_MS} ms: ${elapsed < AIM_MS ? 'met' : 'MISSED'})`,
      `  CPU time:  ${cpuMs.toFixed(0)} ms (user + system; wall time above also counts waiting for a busy machine)`,
      `  peak RSS:  ${peakMb.toFixed(0)} MB (whole process, generation included)`,
      `  result:    ${fleet.status}, ${fleet.failures.length} failed checks, ${fleet.stale.length} stale`,
      '',
    ].join('\n'),
  );
  if (reports.length !== NODES * 2 || fleet.failures.length !== NODES / 100) throw new Error('bench ingested the wrong fleet');
} finally {
  await rm(root, { recursive: true, force: true });
}
