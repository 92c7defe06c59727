/**
 * The tool leaves nothing in the temporary folder: synth writes CDK's cloud assembly in a temporary
 * folder it removes (src/pipeline/render.ts), check and audit make none that outlive them. Each
 * command runs as its own process with a private, empty TMPDIR, which must be empty afterwards.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/bottlerocket-eks.js', import.meta.url));

let dir: string;
let privateTmp: string;
let out: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temp-litter-'));
  privateTmp = join(dir, 'tmp');
  out = join(dir, 'work', 'out');
  await mkdir(privateTmp);
  await mkdir(join(dir, 'work'));
  await copyFile(new URL('../../platform.yaml', import.meta.url), join(dir, 'work', 'platform.yaml'));
  await copyFile(new URL('../../releases.lock.yaml', import.meta.url), join(dir, 'work', 'releases.lock.yaml'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Run the CLI in the config's folder with the private TMPDIR; its exit code. */
async function cli(...args: string[]): Promise<number> {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: privateTmp };
  try {
    await run(process.execPath, [CLI, ...args], { cwd: join(dir, 'work'), env, maxBuffer: 64 * 1024 * 1024 });
    return 0;
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return failure.code;
  }
}

describe('GIVEN a private, empty TMPDIR', () => {
  test('WHEN synth writes every environment THEN nothing is left in it', async () => {
    expect(await cli('synth', '--out', out)).toBe(0);
    expect(await readdir(join(out, 'dev'))).toContain('cdk.out');
    expect(await readdir(privateTmp)).toEqual([]);
  });

  test('WHEN check judges a template and an assembly, and audit a GitOps folder, THEN nothing is left in it', async () => {
    expect(await cli('check', join(out, 'dev', 'cloudformation', 'fedplat-dev.template.json'), join(out, 'staging', 'cdk.out'))).toBe(0);
    expect(await cli('audit', join(out, 'prod', 'cluster'))).toBe(0);
    expect(await readdir(privateTmp)).toEqual([]);
  });
});
