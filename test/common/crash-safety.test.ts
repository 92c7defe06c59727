/**
 * Issue 9 item 2 acceptance: `kill -9` at random points while outputs are committed over an
 * existing output always leaves every environment complete (old or new) under its final name, or,
 * in the microseconds between the two renames of one folder, parked where the journal says; the
 * next run then finishes the swap. Once through the library in a tight loop (most kills land
 * inside commits), once through the real `synth` CLI over an existing output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';

const LIBRARY = new URL('../../build/common/output-folder.js', import.meta.url);
const CHURN = fileURLToPath(new URL('./fixtures/churn-output.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/bottlerocket-eks.js', import.meta.url));
const JOURNAL = '.bottlerocket-eks-journal.json';

let root: string;
beforeEach(() => {
  if (!existsSync(fileURLToPath(LIBRARY))) throw new Error('build/ is missing: run `npm run build` (npm test does)');
  root = realpathSync(mkdtempSync(join(tmpdir(), 'crash-safety-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Run to the end without blocking the test worker (a long spawnSync starves vitest's RPC). */
function run(command: string, args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

/** Run `command` and SIGKILL it `ms` after it starts (or, with `afterReady`, after it prints its first line). */
function killAfter(command: string, args: readonly string[], ms: number, afterReady = false): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), ms));
    if (afterReady) child.stdout.once('data', arm);
    else arm();
    child.stdout.resume();
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The generation every file of one churned environment folder carries; throws when mixed or short. */
function generationOf(folder: string): string {
  const files = readdirSync(join(folder, 'cluster'));
  expect(files).toHaveLength(40);
  const generations = new Set(files.map((file) => readFileSync(join(folder, 'cluster', file), 'utf8')));
  expect([...generations]).toHaveLength(1);
  return [...generations][0]!;
}

describe('kill -9 during commits', () => {
  test('every environment stays complete, old or new, across 20 random kills; the next run finishes any swap', async () => {
    const out = join(root, 'dist');
    const config = join(root, 'platform.yaml');
    writeFileSync(config, EXAMPLE_CONFIG_TEXT);
    const churn = (mode?: string) => [CHURN, LIBRARY.href, out, config, ...(mode ? [mode] : [])];
    expect((await run(process.execPath, churn('--once'))).status).toBe(0);
    let parkedSeen = 0;
    let journalSeen = 0;
    for (let kill = 0; kill < 20; kill++) {
      await killAfter(process.execPath, churn(), Math.random() * 1_000, true);
      const journal = existsSync(join(out, JOURNAL)) ? (JSON.parse(readFileSync(join(out, JOURNAL), 'utf8')) as { parked: string }) : undefined;
      if (journal) journalSeen++;
      for (const env of ['dev', 'staging', 'prod']) {
        if (existsSync(join(out, env))) {
          generationOf(join(out, env));
        } else {
          // Killed between the two renames: the old copy is parked and the journal names it.
          expect(journal).toBeDefined();
          generationOf(join(out, journal!.parked, env));
          parkedSeen++;
        }
      }
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/^generation: /);
    }
    expect((await run(process.execPath, churn('--once'))).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.bottlerocket-eks-output.json', 'dev', 'prod', 'staging', 'summary.md']);
    const generations = new Set(['dev', 'staging', 'prod'].map((env) => generationOf(join(out, env))));
    expect(generations.size).toBe(1);
    // Recorded for the log, not asserted: how often a kill landed inside a commit, and inside a rename window.
    console.info(`crash-safety: ${journalSeen} of 20 kills landed inside a commit; ${parkedSeen} environment checks found a parked copy`);
  });

  test('the real synth killed at random points over an existing output leaves a complete old or new output', async () => {
    const out = join(root, 'dist');
    const config = join(root, 'platform.yaml');
    writeFileSync(join(root, 'releases.lock.yaml'), readFileSync(new URL('../../releases.lock.yaml', import.meta.url)));
    const variant = (n: number) => EXAMPLE_CONFIG_TEXT.replace('desiredSize: 2', `desiredSize: ${2 + n}`);
    // One environment keeps each run short; the swap is the same for one or three.
    const synth = () => [CLI, '--config', config, 'synth', '--out', out, '--env', 'dev'];
    const outputOf = (dir: string) =>
      Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => [join(entry.parentPath, entry.name).slice(dir.length), readFileSync(join(entry.parentPath, entry.name), 'utf8')]));
    const references: Array<Record<string, string>> = [];
    for (const n of [0, 1]) {
      writeFileSync(config, variant(n));
      expect((await run(process.execPath, synth())).status).toBe(0);
      references.push(outputOf(join(out, 'dev')));
    }
    expect(references[0]).not.toEqual(references[1]);
    for (let kill = 0; kill < 2; kill++) {
      writeFileSync(config, variant(kill % 2));
      await killAfter(process.execPath, synth(), 300 + Math.random() * 3_000);
      expect(existsSync(join(out, 'dev'))).toBe(true);
      expect(references).toContainEqual(outputOf(join(out, 'dev')));
    }
    const last = await run(process.execPath, synth());
    expect(last.stderr).not.toMatch(/error/);
    expect(last.status).toBe(0);
    expect(readdirSync(out).filter((name) => name.startsWith('.bottlerocket-eks-') && name !== '.bottlerocket-eks-output.json')).toEqual([]);
  });
});
