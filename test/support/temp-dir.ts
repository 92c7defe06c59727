/** A fresh temporary folder for each test, removed after it. */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempDir {
  /** The current test's folder, as a real path (paths in messages compare equal). */
  readonly path: string;
}

/** Register the hooks; `path` is the current test's folder once its `beforeEach` ran. */
export function useTempDir(prefix: string): TempDir {
  const dir = { path: '' };
  beforeEach(() => {
    dir.path = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  });
  afterEach(() => rmSync(dir.path, { recursive: true, force: true }));
  return dir;
}
