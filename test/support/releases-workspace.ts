/**
 * The setup the end-to-end `releases` suites share: one loopback SSM (support/fake-ssm.ts) for the
 * test file, and for each test a fresh folder holding copies of the example platform.yaml and its
 * releases.lock.yaml, removed after the test.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeSsm, type FakeSsm } from './fake-ssm.js';

export interface ReleasesWorkspace {
  readonly ssm: FakeSsm;
  /** This test's folder. */
  readonly dir: string;
  readonly configFile: string;
  readonly ledgerFile: string;
}

/** Register the hooks; the returned object holds the current test's workspace once its hooks ran. */
export function useReleasesWorkspace(prefix: string): ReleasesWorkspace {
  const workspace = {} as { ssm: FakeSsm; dir: string; configFile: string; ledgerFile: string };
  beforeAll(async () => {
    workspace.ssm = await startFakeSsm({});
  });
  afterAll(() => workspace.ssm.close());
  beforeEach(async () => {
    workspace.dir = await mkdtemp(join(tmpdir(), prefix));
    workspace.configFile = join(workspace.dir, 'platform.yaml');
    workspace.ledgerFile = join(workspace.dir, 'releases.lock.yaml');
    await copyFile(new URL('../../platform.yaml', import.meta.url), workspace.configFile);
    await copyFile(new URL('../../releases.lock.yaml', import.meta.url), workspace.ledgerFile);
  });
  afterEach(() => rm(workspace.dir, { recursive: true, force: true }));
  return workspace;
}
