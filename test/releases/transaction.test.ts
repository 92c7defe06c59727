/**
 * Issue 9 item 3: `releases bump` is one transaction. Two bump processes against a slow loopback
 * SSM server, with platform.yaml reordered while they wait, lose no ledger entry and edit only
 * their own environment; files keep their modes and symlinks; both files change or neither; the
 * ledger's days only move forward unless an override says why.
 */
import { spawn } from 'node:child_process';
import { chmod, copyFile, lstat, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { writeFilesTogether } from '../../src/common/file-transaction.js';
import { parseConfig } from '../../src/config/index.js';
import { parseLedger } from '../../src/releases/index.js';
import { runCli } from '../support/cli.js';
import { PARAMETER, sdkEnvironmentFor } from '../support/fake-ssm.js';
import { useReleasesWorkspace } from '../support/releases-workspace.js';

const NEXT = '1.48.0-0a1b2c3d';
const CLI = fileURLToPath(new URL('../../bin/bottlerocket-eks.js', import.meta.url));
const OVERRIDE = 'CVE-2026-0001 container escape fix, CISO approved (CHG-1234)';
const ws = useReleasesWorkspace('bump-transaction-');
beforeEach(() => {
  for (const name of [PARAMETER.dev, PARAMETER.fipsX86, PARAMETER.fipsArm]) ws.ssm.parameters.set(name, { value: NEXT });
  ws.ssm.delayMs = 0;
});

function bumpProcess(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--config', ws.configFile, 'releases', 'bump', ...args], {
      env: { PATH: process.env.PATH ?? '', ...sdkEnvironmentFor(ws.ssm.url) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** The environments list with dev's and staging's blocks swapped: positions read before no longer hold. */
function swapDevAndStaging(text: string): string {
  const dev = text.indexOf('  - name: dev\n');
  const staging = text.indexOf('  - name: staging\n');
  const prod = text.indexOf('  - name: prod\n');
  expect(0 < dev && dev < staging && staging < prod).toBe(true);
  return text.slice(0, dev) + text.slice(staging, prod) + text.slice(dev, staging) + text.slice(prod);
}

const releasesOf = (text: string) =>
  Object.fromEntries(parseConfig(ws.configFile, text).config.environments.flatMap((env) => env.nodeGroups.map((group) => [`${env.name}/${group.name}`, group.releaseVersion])));

describe('two bumps at once against a slow SSM', () => {
  test('both ledger entries survive and each edits only its own environment, though platform.yaml was reordered meanwhile', async () => {
    ws.ssm.delayMs = 2_500;
    const today = new Date().toISOString().slice(0, 10);
    const before = releasesOf(await readFile(ws.configFile, 'utf8'));
    const dev = bumpProcess('--env', 'dev', '--date', today);
    const staging = bumpProcess('--env', 'staging', '--override', OVERRIDE, '--date', today);
    // Both have read the files and wait for SSM; someone reorders the environments.
    await vi.waitFor(() => expect(ws.ssm.requests.length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 50 });
    await writeFile(ws.configFile, swapDevAndStaging(await readFile(ws.configFile, 'utf8')));

    const [devRun, stagingRun] = await Promise.all([dev, staging]);

    for (const run of [devRun, stagingRun]) {
      expect(run.stderr).not.toMatch(/error/);
      expect(run.code).toBe(0);
    }
    const config = await readFile(ws.configFile, 'utf8');
    expect(config.indexOf('  - name: dev\n')).toBeGreaterThan(config.indexOf('  - name: staging\n'));
    expect(releasesOf(config)).toEqual({ ...before, 'dev/general': NEXT, 'staging/general': NEXT, 'staging/graviton': NEXT });
    const ledger = parseLedger(ws.ledgerFile, await readFile(ws.ledgerFile, 'utf8')).ledger;
    expect(ledger.applied.filter((entry) => entry.releaseVersion === NEXT).map((entry) => `${entry.environment}/${entry.nodeGroup}`).sort()).toEqual(['dev/general', 'staging/general', 'staging/graviton']);
  });
});

describe('bump keeps what the files are', () => {
  test('a 0600 platform.yaml stays 0600 and a symlinked ledger stays a link to its file', async () => {
    await chmod(ws.configFile, 0o600);
    const realLedger = join(ws.dir, 'ledger-real.yaml');
    await copyFile(ws.ledgerFile, realLedger);
    await rm(ws.ledgerFile);
    await symlink(realLedger, ws.ledgerFile);

    const run = await runCli(['--config', ws.configFile, 'releases', 'bump', '--env', 'prod', '--to', NEXT, '--override', OVERRIDE, '--date', new Date().toISOString().slice(0, 10)]);

    expect(run.code).toBe(0);
    expect((await stat(ws.configFile)).mode & 0o777).toBe(0o600);
    expect((await lstat(ws.ledgerFile)).isSymbolicLink()).toBe(true);
    expect(await readlink(ws.ledgerFile)).toBe(realLedger);
    expect(await readFile(realLedger, 'utf8')).toContain(`override: ${OVERRIDE}`);
  });
});

describe('ledger days move forward', () => {
  const bump = (...args: string[]) => runCli(['--config', ws.configFile, 'releases', 'bump', '--env', 'dev', '--to', NEXT, ...args]);

  test('a day before the environment\'s latest entry is refused, files untouched', async () => {
    const [config, ledger] = [await readFile(ws.configFile, 'utf8'), await readFile(ws.ledgerFile, 'utf8')];
    const run = await bump('--date', '2026-01-01');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --date 2026-01-01 is before dev\'s latest ledger entry (2026-10-20); the ledger records history in order; pass --override "<reason>" to record it anyway\n');
    expect(await readFile(ws.configFile, 'utf8')).toBe(config);
    expect(await readFile(ws.ledgerFile, 'utf8')).toBe(ledger);
  });

  test('a day in the future is refused', async () => {
    const run = await bump('--date', '2099-01-01');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --date 2099-01-01 is in the future \(today is \d{4}-\d{2}-\d{2} UTC\)/);
  });

  test('with --override the day is accepted and the reason recorded on the entry', async () => {
    const run = await bump('--date', '2026-10-19', '--override', OVERRIDE);
    expect(run.code).toBe(0);
    const ledger = parseLedger(ws.ledgerFile, await readFile(ws.ledgerFile, 'utf8')).ledger;
    expect(ledger.applied.at(-1)).toEqual({ environment: 'dev', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-10-19', override: OVERRIDE });
  });
});

describe('writeFilesTogether', () => {
  test('GIVEN the second rename fails THEN the first file is restored and the error says what holds what', async () => {
    const a = join(ws.dir, 'a.yaml');
    const b = join(ws.dir, 'b.yaml');
    await writeFile(a, 'old a\n');
    await writeFile(b, 'old b\n');
    let renames = 0;
    const failing = { rename: async (from: string, to: string) => {
      if (++renames === 2) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      const { rename } = await import('node:fs/promises');
      await rename(from, to);
    } };

    const error = await writeFilesTogether([{ path: a, content: 'new a\n' }, { path: b, content: 'new b\n' }], failing).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(`writing ${b} failed (EIO: i/o error, rename); it is unchanged; ${a} restored to its previous content`);
    expect(await readFile(a, 'utf8')).toBe('old a\n');
    expect(await readFile(b, 'utf8')).toBe('old b\n');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(ws.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('GIVEN a file cannot be prepared THEN nothing is written', async () => {
    const a = join(ws.dir, 'a.yaml');
    await writeFile(a, 'old a\n');
    const error = await writeFilesTogether([{ path: a, content: 'new a\n' }, { path: join(ws.dir, 'missing-folder', 'b.yaml'), content: 'b' }]).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^nothing was written: preparing .*a\.yaml and .*b\.yaml failed: ENOENT/);
    expect(await readFile(a, 'utf8')).toBe('old a\n');
  });
});
