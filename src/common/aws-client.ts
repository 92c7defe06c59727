/**
 * The one place AWS SDK clients get their network settings. Every client (SSM, S3, and any later
 * one) is built with `awsClientConfig()`, so none can hang: connections and responses have
 * timeouts, retries are bounded, and a response body larger than the cap is cut off. The defaults
 * fail a dead endpoint within 60 s; `BOTTLEROCKET_EKS_AWS_*` variables (or options) change them.
 * A timeout or an oversized body becomes a `NetworkLimitError` naming the endpoint and the limit.
 *
 * The SDK's own standard retry strategy decides what is retried (timeouts, throttling, 5xx), with
 * its exponential backoff; `onRetry` sees every retry (the in-cluster collector logs each one).
 */
import { Readable } from 'node:stream';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { HttpRequest, HttpResponse } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, RequestHandler, RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import { UserInputError } from './errors.js';

export interface NetworkLimits {
  /** Time to establish a connection (TCP and TLS). */
  readonly connectTimeoutMs: number;
  /** Time from sending a request to the end of its response body, per attempt. */
  readonly responseTimeoutMs: number;
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** Largest response body accepted. */
  readonly maxResponseBytes: number;
}

/**
 * A dead endpoint fails after at most 3 × (3 s + 12 s) plus the SDK's backoff between attempts
 * (under 1 s for 3 attempts): about 46 s, inside the 60 s promised.
 */
export const DEFAULT_NETWORK_LIMITS: NetworkLimits = {
  connectTimeoutMs: 3_000,
  responseTimeoutMs: 12_000,
  maxAttempts: 3,
  maxResponseBytes: 16 * 1024 * 1024,
};

const ENVIRONMENT: Readonly<Record<keyof NetworkLimits, string>> = {
  connectTimeoutMs: 'BOTTLEROCKET_EKS_AWS_CONNECT_TIMEOUT_MS',
  responseTimeoutMs: 'BOTTLEROCKET_EKS_AWS_RESPONSE_TIMEOUT_MS',
  maxAttempts: 'BOTTLEROCKET_EKS_AWS_MAX_ATTEMPTS',
  maxResponseBytes: 'BOTTLEROCKET_EKS_AWS_MAX_RESPONSE_BYTES',
};

/** Upper bounds that keep a misconfiguration from turning a limit back into "forever". */
const BOUNDS: Readonly<Record<keyof NetworkLimits, readonly [number, number]>> = {
  connectTimeoutMs: [100, 120_000],
  responseTimeoutMs: [100, 600_000],
  maxAttempts: [1, 10],
  maxResponseBytes: [1_024, 1024 * 1024 * 1024],
};

/** The defaults, with any `BOTTLEROCKET_EKS_AWS_*` variable applied; a bad value is an input error. */
export function networkLimitsFromEnvironment(env: NodeJS.ProcessEnv = process.env): NetworkLimits {
  const limits: Record<string, number> = { ...DEFAULT_NETWORK_LIMITS };
  for (const key of Object.keys(ENVIRONMENT) as Array<keyof NetworkLimits>) {
    const text = env[ENVIRONMENT[key]];
    if (text === undefined || text === '') continue;
    const [min, max] = BOUNDS[key];
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new UserInputError(`${ENVIRONMENT[key]}=${text}: must be a whole number from ${min} to ${max}`);
    limits[key] = value;
  }
  return limits as unknown as NetworkLimits;
}

/** A request ran into one of the limits: the message names the endpoint and the limit. */
export class NetworkLimitError extends Error {
  constructor(
    message: string,
    /** `TimeoutError` is what the SDK's retry strategy retries; an oversized body is not retried. */
    override readonly name: 'TimeoutError' | 'ResponseTooLargeError',
    readonly endpoint: string,
  ) {
    super(message);
  }
}

export interface RetryEvent {
  /** The attempt that failed (1 for the first); the next one follows the SDK's backoff. */
  readonly attempt: number;
  readonly error: string;
}

export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  /** @default networkLimitsFromEnvironment() */
  readonly limits?: NetworkLimits;
  /** Called before every retry the SDK makes, with the error that caused it. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Configuration to spread into any AWS SDK v3 client constructor. */
export function awsClientConfig(options: AwsClientOptions = {}) {
  const limits = options.limits ?? networkLimitsFromEnvironment();
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: limits.maxAttempts,
    retryStrategy: new ReportingRetryStrategy(limits.maxAttempts, options.onRetry),
    requestHandler: new BoundedHttpHandler(limits),
  };
}

/** Node's HTTP handler with a connect timeout, a deadline per attempt, and a cap on the body. */
export class BoundedHttpHandler implements RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  private readonly inner: NodeHttpHandler;

  constructor(private readonly limits: NetworkLimits) {
    this.inner = new NodeHttpHandler({ connectionTimeout: limits.connectTimeoutMs, requestTimeout: limits.responseTimeoutMs, throwOnRequestTimeout: true });
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const endpoint = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
    const deadline = Date.now() + this.limits.responseTimeoutMs;
    let result: { response: HttpResponse };
    try {
      result = await this.inner.handle(request, options);
    } catch (error) {
      throw this.explain(error, endpoint);
    }
    const body = await readCapped(result.response.body as Readable | undefined, endpoint, this.limits, deadline);
    result.response.body = Readable.from(body === undefined ? [] : [body]);
    return result;
  }

  private explain(error: unknown, endpoint: string): unknown {
    const { name, message } = error as Error;
    if (name !== 'TimeoutError') return error;
    const which = /without establishing a connection/.test(message) ? `no connection within ${this.limits.connectTimeoutMs} ms` : `no response within ${this.limits.responseTimeoutMs} ms`;
    return new NetworkLimitError(`${endpoint}: ${which}`, 'TimeoutError', endpoint);
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): Record<string, unknown> {
    return this.inner.httpHandlerConfigs() as Record<string, unknown>;
  }

  destroy(): void {
    this.inner.destroy();
  }
}

/** The whole body, or an error once it passes the cap or the attempt's deadline. */
async function readCapped(body: Readable | undefined, endpoint: string, limits: NetworkLimits, deadline: number): Promise<Buffer | undefined> {
  if (body === undefined) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => body.destroy(new NetworkLimitError(`${endpoint}: response not complete within ${limits.responseTimeoutMs} ms`, 'TimeoutError', endpoint)), Math.max(0, deadline - Date.now()));
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > limits.maxResponseBytes) {
        body.destroy();
        throw new NetworkLimitError(`${endpoint}: response body larger than ${limits.maxResponseBytes} bytes; cut off`, 'ResponseTooLargeError', endpoint);
      }
      chunks.push(buffer);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

/** The SDK's standard strategy, telling `onRetry` about each retry it grants. */
class ReportingRetryStrategy implements RetryStrategyV2 {
  private readonly inner: StandardRetryStrategy;

  constructor(
    maxAttempts: number,
    private readonly onRetry?: (event: RetryEvent) => void,
  ) {
    this.inner = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const next = await this.inner.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
    const error = errorInfo.error as Error | undefined;
    this.onRetry?.({ attempt: next.getRetryCount(), error: error ? `${error.name}: ${error.message}` : errorInfo.errorType });
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token as StandardRetryToken);
  }
}

/**
 * One line for an AWS SDK error: a network limit names the endpoint, the limit and the attempts
 * made; anything else its name and the first line of its message.
 */
export function describeAwsError(error: unknown): string {
  const { name, message } = error as Error;
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  if (error instanceof NetworkLimitError) {
    const made = attempts === undefined ? '' : `${attempts} attempt${attempts === 1 ? '' : 's'}; `;
    return `${message} (${made}limits are set by BOTTLEROCKET_EKS_AWS_* variables)`;
  }
  return `${name}: ${String(message).split('\n')[0]}`;
}
