/**
 * Setup file of both vitest suites: each test file runs with a private TMPDIR, removed when its
 * tests end. Whatever a test, the code under test or a child process inheriting the environment
 * puts in the temporary folder goes with it: the `cdk.out*` assemblies CDK writes for an App
 * without `outdir` (Template.fromStack), fixture folders, Helm values. Tests still remove what they
 * make as they go; this keeps a run from leaving anything in /tmp even when one forgets. The
 * product's own temporary folders are checked separately (test/pipeline/temp-litter.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const inherited = process.env.TMPDIR;
const privateTmp = mkdtempSync(join(tmpdir(), 'bottlerocket-eks-test-'));
process.env.TMPDIR = privateTmp;

afterAll(() => {
  if (inherited === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = inherited;
  rmSync(privateTmp, { recursive: true, force: true });
});
