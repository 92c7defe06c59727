/**
 * An advisory lock held as a file created with O_EXCL (`open(..., 'wx')`), which POSIX makes
 * atomic on local filesystems: of several processes, exactly one creates it. The file records who
 * holds it, so a lock left by a process that died (`kill -9`, a crashed CI runner) is recognised as
 * stale and broken instead of blocking every later run. Breaking is itself serialised by a
 * second O_EXCL file, so two waiters can never both break a lock and then both take it.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { UserInputError } from './errors.js';

export interface LockOptions {
  /** What the lock protects, for messages ("the output folder dist"). */
  readonly what: string;
  /**
   * How long to wait for a live holder before giving up.
   *
   * @default 60_000
   */
  readonly waitMs?: number;
  /** @default 50 */
  readonly pollMs?: number;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A lock file nobody could have been halfway through writing for this long is garbage. */
const UNREADABLE_STALE_MS = 10_000;

export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    if (await tryCreate(path)) return { path, release: () => rm(path, { force: true }) };
    const holder = await readHolder(path);
    if (await isStale(path, holder)) {
      await breakStale(path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
      throw new UserInputError(`${options.what} is locked by ${who} (${path}); wait for it to finish, or delete the lock file if that process is gone`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}

/** Run `work` while holding the lock; the lock is released however `work` ends. */
export async function withLock<T>(path: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

async function tryCreate(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string' ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** Stale: the holder ran on this machine and is gone, or the file never got a holder written. */
async function isStale(path: string, holder: Holder | undefined): Promise<boolean> {
  if (holder === undefined) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNREADABLE_STALE_MS;
  }
  // A holder on another machine (a shared filesystem) cannot be probed: wait for it or the user.
  return holder.host === hostname() && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakStale(path: string, seen: Holder | undefined): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await tryCreate(breaker))) {
    // Someone else is breaking it; a breaker that died mid-way is itself stale.
    if (await isStale(breaker, await readHolder(breaker))) await rm(breaker, { force: true });
    return;
  }
  try {
    // Only the lock we judged stale: another waiter may have broken it and taken it meanwhile.
    if (JSON.stringify(await readHolder(path)) === JSON.stringify(seen)) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}
