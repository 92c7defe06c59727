/** Exponential backoff with full jitter: the API may be busy right after boot, and a whole fleet retrying in step would hammer it. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** Told about each failed attempt that will be retried, so a stuck node leaves a trail in its log. */
export type RetryObserver = (attempt: number, error: unknown, delayMs: number) => void;

export async function withRetries<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy, sleep = delay, onRetry?: RetryObserver): Promise<{ value: T; attempts: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return { value: await work(attempt), attempts: attempt };
    } catch (error) {
      lastError = error;
      if (attempt < policy.attempts) {
        const wait = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        onRetry?.(attempt, error, wait);
        await sleep(wait);
      }
    }
  }
  throw Object.assign(new Error(`${(lastError as Error)?.message ?? String(lastError)} (after ${policy.attempts} attempts)`), { cause: lastError });
}

/** Node fires a timer longer than this at once (with a TimeoutOverflowWarning): 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sleep `ms` (any length: long waits are chained timers, each within Node's limit), or until `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const end = Date.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const arm = () => {
      const left = end - Date.now();
      if (left <= 0) return finish();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', finish, { once: true });
    arm();
  });
}
