import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { evidenceKey } from '../../src/cis/origin.js';
import { ADR_DIR, ADR_FILES, evidence } from './support/reports.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cis-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A folder `<cluster>/<node>/` holding the ADR's two reports, with optional edits. */
async function folder(name: string, edit: (text: string) => string = (t) => t): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'fedplat-dev', 'node-1'), { recursive: true });
  for (const file of Object.values(ADR_FILES)) {
    const target = join(root, 'fedplat-dev', 'node-1', file.split('/').pop()!);
    if (file === ADR_FILES.kubernetes) await writeFile(target, edit(await readFile(file, 'utf8')));
    else await copyFile(file, target);
  }
  return root;
}

describe('cis report exit codes', () => {
  test('the ADR\'s two text reports: both benchmarks with the right counts, exit 0', async () => {
    const run = await runCli(['cis', 'report', ADR_DIR, '--now', '2024-10-08T00:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cis\s+L1\s+CIS Bottlerocket Benchmark\s+v1\.0\.0\s+1\s+11\s+0\s+4\s+15\s+PASS/);
    expect(run.stdout).toMatch(/cis-k8s\s+L2\s+CIS Kubernetes Benchmark \(Worker Node\)\s+v1\.8\.0\s+1\s+18\s+0\s+5\s+23\s+PASS/);
    expect(run.stdout).not.toMatch(/STALE OR MISSING/);
    expect(run.stdout).toMatch(/Result: PASS\n$/);
  });

  test('cluster and node come from the folder layout <cluster>/<node>/', async () => {
    const run = await runCli(['cis', 'report', await folder('layout'), '--now', '2024-10-08T00:00:00Z', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).nodes.map((n: { cluster: string; node: string }) => `${n.cluster}/${n.node}`)).toEqual(['fedplat-dev/node-1']);
  });

  test('a FAIL in any report: exit 1, and the table names it', async () => {
    const root = await folder('fail', (t) => t.replace('[PASS] 4.2.13', '[FAIL] 4.2.13').replace('Passed:          18', 'Passed:          17').replace('Failed:          0', 'Failed:          1').replace('result: PASS', 'result: FAIL'));
    const run = await runCli(['cis', 'report', root, '--now', '2024-10-08T00:00:00Z']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/fedplat-dev\/node-1 cis-k8s L2 4\.2\.13 Ensure that a limit is set on pod PIDs\n    note: Pod PIDs limit/);
  });

  test('a malformed report: exit 2 naming the file and line, no stack trace', async () => {
    const root = await folder('bad', (t) => t.replace('Skipped:         5', 'Skipped:         five'));
    const run = await runCli(['cis', 'report', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*fedplat-dev\/node-1\/cis-k8s-L2\.txt:34:18: Skipped must be a whole number/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  test('a truncated report: exit 2', async () => {
    const root = await folder('cut', (t) => t.slice(0, t.indexOf('Passed:')));
    const run = await runCli(['cis', 'report', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cis-k8s-L2\.txt:\d+:1: truncated report/);
  });

  test('a file that is not a report: exit 2', async () => {
    const root = await folder('stray');
    await writeFile(join(root, 'notes.md'), '# not a report\n');
    const run = await runCli(['cis', 'report', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/notes\.md:1:1: not a CIS report/);
  });

  test('stale evidence fails only with --fail-on-stale', async () => {
    const lenient = await runCli(['cis', 'report', ADR_DIR, '--now', '2025-01-01T00:00:00Z']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/STALE OR MISSING evidence \(2\)/);
    const strict = await runCli(['cis', 'report', ADR_DIR, '--now', '2025-01-01T00:00:00Z', '--fail-on-stale']);
    expect(strict.code).toBe(1);
  });

  test('--env takes interval and grace from the environment\'s config (prod: 12h)', async () => {
    // The ADR reports ran 2024-10-07 ~19:22; prod's 12h + 6h window ends 2024-10-08 ~13:22.
    const run = await runCli(['--config', 'platform.yaml', 'cis', 'report', ADR_DIR, '--env', 'prod', '--now', '2024-10-08T14:00:00Z', '--format', 'json']);
    expect(run.code).toBe(0);
    const fleet = JSON.parse(run.stdout);
    expect(fleet.window).toMatchObject({ intervalHours: 12, graceHours: 6 });
    expect(fleet.stale).toHaveLength(2);
    expect(fleet.nodes[0].environment).toBe('prod');
  });

  test('without --env each cluster gets its environment and cadence from platform.yaml', async () => {
    // GIVEN a prod node and a dev node that both last reported 20 hours ago
    const root = join(dir, 'fleet');
    const at = '2025-06-01T00:00:00.000000000Z';
    for (const [cluster, node] of [['fedplat-prod', 'p-1'], ['fedplat-dev', 'd-1']] as const) {
      const data = evidence({ type: 'bottlerocket', cluster, node, timestamp: at });
      const path = join(root, evidenceKey(cluster, node, 'bottlerocket', 1, new Date(at)));
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, JSON.stringify(data));
    }
    // WHEN reported with the repository's platform.yaml
    const run = await runCli(['cis', 'report', root, '--now', '2025-06-01T20:00:00Z', '--format', 'json']);
    // THEN prod (12h + 6h) is stale and dev (24h + 6h) is not
    const fleet = JSON.parse(run.stdout);
    expect(fleet.nodes.map((n: { environment: string; node: string }) => `${n.environment}/${n.node}`)).toEqual(['dev/d-1', 'prod/p-1']);
    expect(fleet.stale.map((s: { node: string }) => s.node)).toEqual(['p-1']);
    expect(fleet.window.environments.prod).toEqual({ intervalHours: 12, graceHours: 6 });
  });

  test.each([
    [['--now', 'yesterday'], /--now must be an ISO 8601 time/],
    [['--format', 'pdf'], /argument 'pdf' is invalid/],
    [['--interval-hours', '0'], /--interval-hours must be a whole number >= 1/],
    [['--env', 'qa', '--config', 'platform.yaml'], /--env qa: no such environment/],
  ])('bad flags %j: exit 2', async (flags, message) => {
    const [first, ...rest] = flags as string[];
    const argv = first === '--env' ? ['--config', 'platform.yaml', 'cis', 'report', ADR_DIR, '--env', 'qa'] : ['cis', 'report', ADR_DIR, first!, ...rest];
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test('--format oscal and --format junit write to stdout', async () => {
    const oscal = await runCli(['cis', 'report', ADR_DIR, '--format', 'oscal', '--now', '2024-10-08T00:00:00Z']);
    expect(oscal.code).toBe(0);
    expect(JSON.parse(oscal.stdout)['assessment-results'].results[0].observations).toHaveLength(2);
    const junit = await runCli(['cis', 'report', ADR_DIR, '--format', 'junit', '--now', '2024-10-08T00:00:00Z']);
    expect(junit.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="CIS benchmarks" tests="40" failures="0" skipped="9"/);
  });
});

describe('cis report names what it does not read', () => {
  test('GIVEN a hidden file, a symlinked folder, a symlinked file and a dangling link THEN each is listed on stderr with its reason, the rest is read', async () => {
    const root = await folder('skipped');
    const elsewhere = await folder('elsewhere');
    const node = join(root, 'fedplat-dev', 'node-1');
    await writeFile(join(node, '.partial-upload.json'), '{');
    await symlink(join(elsewhere, 'fedplat-dev'), join(root, 'linked-cluster'));
    await symlink(join(node, ADR_FILES.kubernetes.split('/').pop()!), join(node, 'again.txt'));
    await symlink(join(dir, 'gone'), join(node, 'dangling.txt'));
    const run = await runCli(['cis', 'report', root, '--now', '2024-10-08T00:00:00Z', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `skipped ${join(node, '.partial-upload.json')}: a hidden file`,
      `skipped ${join(node, 'again.txt')}: a symlink, not followed`,
      `skipped ${join(node, 'dangling.txt')}: a symlink to nothing`,
      `skipped ${join(root, 'linked-cluster')}: a symlinked folder, not followed`,
    ]);
    expect(JSON.parse(run.stdout).nodes.map((n: { cluster: string; node: string }) => `${n.cluster}/${n.node}`)).toEqual(['fedplat-dev/node-1']);
  });
});

describe('cis collect usage errors', () => {
  test.each([
    [['--bucket', 'b', '--cluster', 'c', '--node', 'n', '--levels', '3'], /--levels must list 1 and\/or 2, got "3"/],
    [['--bucket', 'b', '--cluster', 'c', '--node', 'n', '--interval-hours', 'daily'], /--interval-hours must be a whole number >= 1/],
    [['--bucket', 'b', '--cluster', 'c', '--node', 'n', '--loop', '--interval-hours', '0'], /--interval-hours must be a whole number >= 1/],
  ])('%j: exit 2 before touching the socket or S3', async (flags, message) => {
    const run = await runCli(['cis', 'collect', '--socket', join(dir, 'nowhere.sock'), ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
