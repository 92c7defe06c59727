import { describe, expect, test } from 'vitest';
import { aggregate } from '../../src/cis/aggregate.js';
import type { CisReport } from '../../src/cis/model.js';
import { readReport } from '../../src/cis/read.js';
import { evidenceKey } from '../../src/cis/origin.js';
import { evidence, type EvidenceSpec } from './support/reports.js';

/** A report as ingest would read it from the bucket. */
function stored(spec: EvidenceSpec): CisReport {
  const data = evidence(spec);
  const key = evidenceKey(spec.cluster, spec.node, spec.type, data.benchmark.level, new Date(spec.timestamp));
  return readReport({ source: `s3://bucket/${key}`, relative: key, text: JSON.stringify(data) }, { environment: 'dev' });
}

const day = (d: number, hour = 3) => `2025-06-0${d}T0${hour}:00:00.000000000Z`;
const window = (now: string) => ({ now: new Date(now), intervalHours: 24, graceHours: 6 });

describe('several days of reports from a small fleet', () => {
  // GIVEN three nodes reporting daily; node-b regresses on day 3; node-c stops after day 1
  const reports = [1, 2, 3].flatMap((d) => [
    stored({ type: 'bottlerocket', cluster: 'c1', node: 'node-a', timestamp: day(d) }),
    stored({ type: 'kubernetes', cluster: 'c1', node: 'node-a', timestamp: day(d) }),
    stored({ type: 'bottlerocket', cluster: 'c1', node: 'node-b', timestamp: day(d), version: d === 3 ? '1.48.0' : '1.47.0' }),
    stored({ type: 'kubernetes', cluster: 'c1', node: 'node-b', timestamp: day(d), version: d === 3 ? '1.48.0' : '1.47.0', statuses: d === 3 ? { '4.2.13': 'FAIL' } : {} }),
    ...(d === 1 ? [stored({ type: 'bottlerocket', cluster: 'c1', node: 'node-c', timestamp: day(d) }), stored({ type: 'kubernetes', cluster: 'c1', node: 'node-c', timestamp: day(d) })] : []),
  ]);
  // WHEN aggregated on day 3 at noon
  const fleet = aggregate(reports, window('2025-06-03T12:00:00Z'));

  test('the latest report per node and benchmark decides: one FAIL, with the seal note', () => {
    expect(fleet.status).toBe('FAIL');
    expect(fleet.failures).toEqual([expect.objectContaining({ node: 'node-b', type: 'kubernetes', id: '4.2.13', note: expect.stringContaining('Seal vs CIS trade-off') })]);
    expect(fleet.nodes.map((n) => [n.node, n.status])).toEqual([['node-a', 'PASS'], ['node-b', 'FAIL'], ['node-c', 'PASS']]);
  });

  test('passed yesterday, fails today: a regression with both times', () => {
    expect(fleet.regressions).toEqual([expect.objectContaining({ node: 'node-b', id: '4.2.13', passedAt: day(2), at: day(3) })]);
  });

  test('a node silent for more than interval + grace is stale, per benchmark', () => {
    expect(fleet.stale.map((s) => [s.node, s.type, s.lastReportAt])).toEqual([
      ['node-c', 'bottlerocket', day(1)],
      ['node-c', 'kubernetes', day(1)],
    ]);
    expect(fleet.clusters).toEqual([{ environment: 'dev', cluster: 'c1', nodes: 3, failingNodes: 1, staleNodes: 1 }]);
  });

  test('within the grace period nothing is stale', () => {
    // node-c's last report is day 1 03:00; 24h + 6h later is day 2 09:00.
    expect(aggregate(reports, window('2025-06-02T08:59:00Z')).stale).toEqual([]);
    expect(aggregate(reports, window('2025-06-02T09:01:00Z')).stale.map((s) => s.node)).toEqual(['node-c', 'node-c']);
  });

  test('Bottlerocket versions across the fleet come from each node\'s newest report', () => {
    expect(fleet.versions).toEqual([
      { version: '1.47.0', variant: 'aws-k8s-1.33', nodes: 2 },
      { version: '1.48.0', variant: 'aws-k8s-1.33', nodes: 1 },
    ]);
  });

  test('per-check totals count each node once', () => {
    const pids = fleet.checks.find((c) => c.type === 'kubernetes' && c.id === '4.2.13');
    expect(pids).toMatchObject({ pass: 2, fail: 1, skip: 0, note: expect.stringContaining('podPidsLimit') });
    const skipped = fleet.checks.find((c) => c.type === 'kubernetes' && c.id === '4.2.7');
    expect(skipped).toMatchObject({ pass: 0, fail: 0, skip: 3 });
    expect(skipped).not.toHaveProperty('note');
  });

  test('a fix the next day clears the failure and leaves no regression', () => {
    const fixed = [...reports, stored({ type: 'kubernetes', cluster: 'c1', node: 'node-b', timestamp: day(4) })];
    const later = aggregate(fixed, window('2025-06-04T12:00:00Z'));
    expect(later.failures).toEqual([]);
    expect(later.regressions).toEqual([]);
  });

  test('a node missing a benchmark its cluster reports is flagged as missing evidence', () => {
    const partial = [stored({ type: 'bottlerocket', cluster: 'c2', node: 'x', timestamp: day(3) }), stored({ type: 'kubernetes', cluster: 'c2', node: 'x', timestamp: day(3) }), stored({ type: 'bottlerocket', cluster: 'c2', node: 'y', timestamp: day(3) })];
    expect(aggregate(partial, window('2025-06-03T12:00:00Z')).stale).toEqual([expect.objectContaining({ node: 'y', type: 'kubernetes', lastReportAt: null })]);
  });
});
