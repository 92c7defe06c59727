/**
 * `audit` streams its input: a manifest much larger than what the decoded objects of a whole-file
 * read need is audited in a child process whose heap is capped below that (a whole-file read of
 * this input exhausts a 96 MB heap; the streamed one stays well inside it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { JsonResult } from '../../src/report/index.js';
import { writeLargeManifest, type LargeManifest } from '../support/large-manifest.js';

const CLI = fileURLToPath(new URL('../../bin/bottlerocket-eks.js', import.meta.url));
const HEAP_MB = 96;
const INPUT_BYTES = 40_000_000;

let dir: string;
let manifest: LargeManifest;
let file: string;
beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../build/cli/main.js', import.meta.url)))) throw new Error('build/ is missing: run `npm run build` (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'audit-large-'));
  file = join(dir, 'large.yaml');
  manifest = await writeLargeManifest(file, INPUT_BYTES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run without blocking the test worker (a long spawnSync starves vitest's RPC). */
function run(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test(`GIVEN a ${INPUT_BYTES / 1e6} MB manifest WHEN audit runs with a ${HEAP_MB} MB heap THEN it completes with every object counted and every result at its line`, { timeout: 120_000 }, async () => {
  expect(manifest.bytes).toBeGreaterThanOrEqual(INPUT_BYTES);
  const { status, stdout, stderr } = await run([`--max-old-space-size=${HEAP_MB}`, CLI, 'audit', file, '--format', 'json']);

  expect(stderr).not.toMatch(/heap out of memory/i);
  // Each Pod is privileged (`privileged: yes`, YAML 1.1's true): findings, exit 1.
  expect(status).toBe(1);
  expect(stderr).toMatch(new RegExp(`^audited ${manifest.documents} objects with \\d+ policies: \\d+ results$`, 'm'));
  const results = JSON.parse(stdout) as JsonResult[];
  // No policy matches a ConfigMap: every result is a Pod's.
  expect(new Set(results.map((r) => r.resource.kind))).toEqual(new Set(['Pod']));
  const privileged = results.filter((r) => r.policy === 'bottlerocket-disallow-privileged');
  expect(privileged).toHaveLength(manifest.pods);
  privileged.forEach((r, i) => {
    expect(r.result).toBe('fail');
    expect(r.resource.name).toBe(`pod-${i}`);
    expect(r.source.line).toBe(manifest.podLine(i));
  });
});
