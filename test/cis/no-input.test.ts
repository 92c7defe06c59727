/**
 * Issue 9 item 5 for `cis report`: no evidence is not a pass, disagreeing reports fail closed
 * whatever their file names, and a report from the future is refused.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { apiReport } from './support/reports.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cis-no-input-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const NOW = '2025-06-03T12:00:00Z';
const report = (...args: string[]) => runCli(['--config', join(dir, 'none.yaml'), 'cis', 'report', ...args, '--now', NOW]);

async function write(relative: string, content: unknown): Promise<void> {
  await mkdir(join(dir, relative, '..'), { recursive: true });
  await writeFile(join(dir, relative), JSON.stringify(content));
}

describe('cis report with no reports', () => {
  test.each([[[]], [['--fail-on-stale']]])('an empty folder exits 2 (flags %j)', async (flags) => {
    await mkdir(join(dir, 'empty'));
    const run = await report(join(dir, 'empty'), ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no CIS reports found in .*empty; check the path or bucket prefix \(pass --allow-empty/);
    expect(run.stdout).toBe('');
  });

  test('--allow-empty accepts it', async () => {
    await mkdir(join(dir, 'empty'));
    const run = await report(join(dir, 'empty'), '--allow-empty', '--format', 'json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ reports: 0, nodes: [] });
  });
});

describe('conflicting reports for one node and time', () => {
  const at = '2025-06-03T03:00:00Z';
  test.each([
    ['the FAIL sorts first by name', 'a.json', 'b.json'],
    ['the FAIL sorts last by name', 'b.json', 'a.json'],
  ])('fail closed and are reported whatever the file names (%s)', async (_name, failName, passName) => {
    await write(`c1/node-a/${failName}`, apiReport({ type: 'kubernetes', timestamp: at, statuses: { '4.2.13': 'FAIL' } }));
    await write(`c1/node-a/${passName}`, apiReport({ type: 'kubernetes', timestamp: at }));

    const table = await report(dir);
    const json = await report(dir, '--format', 'json');

    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`CONFLICTING reports for one node and time; the worst counts (1):\n  c1/node-a cis-k8s L2 at ${at}: FAIL ${join(dir, 'c1/node-a', failName)} vs PASS ${join(dir, 'c1/node-a', passName)}`);
    expect(table.stdout).toMatch(/Result: FAIL\n$/);
    const fleet = JSON.parse(json.stdout) as { status: string; nodes: Array<{ status: string }>; failures: Array<{ id: string }>; conflicts: unknown[] };
    expect(json.code).toBe(1);
    expect(fleet.status).toBe('FAIL');
    expect(fleet.nodes.map((n) => n.status)).toEqual(['FAIL']);
    expect(fleet.failures.map((f) => f.id)).toEqual(['4.2.13']);
    expect(fleet.conflicts).toHaveLength(1);
  });

  test('two copies of the same report are no conflict', async () => {
    await write('c1/node-a/a.json', apiReport({ type: 'kubernetes', timestamp: at }));
    await write('c1/node-a/b.json', apiReport({ type: 'kubernetes', timestamp: at }));
    const run = await report(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/CONFLICTING/);
  });

  test('the latest report counts by its time, not by its file name', async () => {
    // Named so that name order and time order disagree.
    await write('c1/node-a/a-newer.json', apiReport({ type: 'kubernetes', timestamp: '2025-06-03T04:00:00Z', statuses: { '4.2.13': 'FAIL' } }));
    await write('c1/node-a/z-older.json', apiReport({ type: 'kubernetes', timestamp: '2025-06-03T03:00:00Z' }));
    const run = await report(dir, '--format', 'json');
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { nodes: Array<{ lastReportAt: string; status: string }> }).nodes).toMatchObject([{ lastReportAt: '2025-06-03T04:00:00Z', status: 'FAIL' }]);
  });
});

describe('reports from the future', () => {
  test('a report dated 2099 is refused as invalid, naming it (it would hide today\'s FAIL and never go stale)', async () => {
    await write('c1/node-a/today.json', apiReport({ type: 'kubernetes', timestamp: '2025-06-03T03:00:00Z', statuses: { '4.2.13': 'FAIL' } }));
    await write('c1/node-a/future.json', apiReport({ type: 'kubernetes', timestamp: '2099-01-01T00:00:00Z' }));
    const run = await report(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*c1\/node-a\/future\.json:1:1: report time 2099-01-01T00:00:00Z is more than 15 minutes after now \(2025-06-03T12:00:00\.000Z\)/);
    expect(run.stdout).toBe('');
  });

  test('ten minutes ahead is clock skew, accepted', async () => {
    await write('c1/node-a/skewed.json', apiReport({ type: 'kubernetes', timestamp: '2025-06-03T12:10:00Z' }));
    const run = await report(dir);
    expect(run.code).toBe(0);
  });
});
