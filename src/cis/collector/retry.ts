/** Exponential backoff with full jitter: the API may be busy right after boot, and a whole fleet retrying in step would hammer it. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export async function withRetries<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy, sleep = delay): Promise<{ value: T; attempts: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return { value: await work(attempt), attempts: attempt };
    } catch (error) {
      lastError = error;
      if (attempt < policy.attempts) await sleep(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  throw Object.assign(new Error(`${(lastError as Error)?.message ?? String(lastError)} (after ${policy.attempts} attempts)`), { cause: lastError });
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
