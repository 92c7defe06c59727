/**
 * Issue 9 item 4: no AWS call can hang or eat memory. Loopback servers that accept and never
 * answer, or answer with an endless body, against the real SDK through the shared client factory.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_NETWORK_LIMITS, networkLimitsFromEnvironment } from '../../src/common/aws-client.js';
import { UserInputError } from '../../src/common/errors.js';
import { runCli } from '../support/cli.js';
import { sdkEnvironmentFor } from '../support/fake-ssm.js';

let server: Server | undefined;
let url: string;
const sockets = new Set<Socket>();
let requests = 0;

/** `silent`: read the request, never answer. `endless`: answer 200 and stream forever. */
async function start(mode: 'silent' | 'endless'): Promise<void> {
  server = createServer((request, response) => {
    requests++;
    request.resume();
    if (mode === 'silent') return;
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (response.write(chunk));
      response.once('drain', pump);
    };
    pump();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => {
  requests = 0;
});
afterEach(async () => {
  vi.unstubAllEnvs();
  sockets.forEach((socket) => socket.destroy());
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

function limits(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}

describe('defaults', () => {
  test('fail a dead endpoint within 60 s: every attempt bounded, the SDK\'s backoff between them well under a second for three attempts', () => {
    const { connectTimeoutMs, responseTimeoutMs, maxAttempts } = DEFAULT_NETWORK_LIMITS;
    // Standard retry backoff: random up to 100 ms × 2^retry, for retries 1 and 2.
    const backoff = [1, 2].reduce((sum, retry) => sum + 100 * 2 ** retry, 0);
    expect(maxAttempts * (connectTimeoutMs + responseTimeoutMs) + backoff).toBeLessThan(60_000);
  });

  test.each([
    ['BOTTLEROCKET_EKS_AWS_RESPONSE_TIMEOUT_MS', '0'],
    ['BOTTLEROCKET_EKS_AWS_MAX_ATTEMPTS', '100'],
    ['BOTTLEROCKET_EKS_AWS_MAX_RESPONSE_BYTES', 'lots'],
  ])('%s=%s is refused', (name, value) => {
    expect(() => networkLimitsFromEnvironment({ [name]: value })).toThrow(UserInputError);
  });
});

describe('releases check against a loopback SSM endpoint', () => {
  const check = () => runCli(['releases', 'check', '--env', 'dev']);

  test('that never answers: exit 2 naming the endpoint and the limit, after the configured attempts', async () => {
    await start('silent');
    for (const [name, value] of Object.entries(sdkEnvironmentFor(url))) vi.stubEnv(name, value);
    limits({ BOTTLEROCKET_EKS_AWS_RESPONSE_TIMEOUT_MS: '400', BOTTLEROCKET_EKS_AWS_MAX_ATTEMPTS: '2' });

    const run = await check();

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: SSM GetParameters in us-gov-west-1 failed: ${url}: no response within 400 ms (2 attempts; limits are set by BOTTLEROCKET_EKS_AWS_* variables)\n`);
    expect(requests).toBe(2);
  });

  test('that streams an endless body: cut off at the cap with a clear error, not retried', async () => {
    await start('endless');
    for (const [name, value] of Object.entries(sdkEnvironmentFor(url))) vi.stubEnv(name, value);
    limits({ BOTTLEROCKET_EKS_AWS_MAX_RESPONSE_BYTES: '1048576' });

    const run = await check();

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: SSM GetParameters in us-gov-west-1 failed: ${url}: response body larger than 1048576 bytes; cut off (1 attempt; limits are set by BOTTLEROCKET_EKS_AWS_* variables)\n`);
    expect(requests).toBe(1);
  });
});

describe('cis report s3:// against a loopback endpoint that never answers', () => {
  test('exit 2 naming the endpoint and the limit', async () => {
    await start('silent');
    limits({ AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS0000', AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: 'us-east-1', BOTTLEROCKET_EKS_AWS_RESPONSE_TIMEOUT_MS: '400', BOTTLEROCKET_EKS_AWS_MAX_ATTEMPTS: '1' });

    const run = await runCli(['--config', '/nonexistent/platform.yaml', 'cis', 'report', 's3://evidence/cis/', '--s3-endpoint', url]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: S3 ListObjectsV2 of s3://evidence/cis/ failed: ${url.replace(/[.]/g, '\\.')}: no response within 400 ms`));
  });
});
