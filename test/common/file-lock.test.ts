/** The O_EXCL lock file: one holder at a time, a dead holder's lock broken, a live one waited for. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acquireLock, withLock } from '../../src/common/file-lock.js';
import { UserInputError } from '../../src/common/errors.js';

let dir: string;
let lock: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-lock-'));
  lock = join(dir, 'x.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('acquireLock', () => {
  test('records its holder and removes the file on release', async () => {
    const held = await acquireLock(lock, { what: 'the thing' });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await held.release();
    expect(existsSync(lock)).toBe(false);
  });

  test('serialises: the second holder starts after the first is done', async () => {
    const order: string[] = [];
    const slow = withLock(lock, { what: 'the thing' }, async () => {
      order.push('a start');
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('a end');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = withLock(lock, { what: 'the thing' }, async () => {
      order.push('b');
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  test('a lock left by a process that died is broken', async () => {
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const held = await acquireLock(lock, { what: 'the thing', waitMs: 1_000 });
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    await held.release();
  });

  test('a live holder is waited for, then named in the error', async () => {
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const error = await acquireLock(lock, { what: 'the thing', waitMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(`the thing is locked by process ${process.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z (${lock}); wait for it to finish, or delete the lock file if that process is gone`);
  });
});
