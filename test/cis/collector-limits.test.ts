/**
 * Issue 9 item 4 for the in-cluster collector: a dead evidence bucket endpoint cannot stall it
 * silently (every retry and the failure are JSON log lines), interval flags are range-checked,
 * and long sleeps are real sleeps (a single timer past 2^31-1 ms would fire at once).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { unixSocketApi } from '../../src/cis/collector/bottlerocket-api.js';
import { delay, MAX_TIMER_MS } from '../../src/cis/collector/retry.js';
import { runCli } from '../support/cli.js';
import { apiReport } from './support/reports.js';

let dir: string;
let api: Server;
let silentS3: Server;
let s3Url: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'collector-limits-'));
  api = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.writeHead(200, { 'content-type': 'application/json' });
    if (url.pathname === '/os') response.end(JSON.stringify({ pretty_name: 'Bottlerocket OS 1.47.0', variant_id: 'aws-k8s-1.33', version_id: '1.47.0', build_id: '6154605b', arch: 'x86_64' }));
    else response.end(JSON.stringify(apiReport({ type: url.searchParams.get('type') as 'bottlerocket' | 'kubernetes', level: Number(url.searchParams.get('level')) as 1 | 2, timestamp: new Date().toISOString() })));
  });
  await new Promise<void>((resolve) => api.listen(join(dir, 'api.sock'), resolve));
  // Accepts connections and reads requests, never answers.
  silentS3 = createServer((request) => request.resume());
  silentS3.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silentS3.listen(0, '127.0.0.1', resolve));
  s3Url = `http://127.0.0.1:${(silentS3.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  await new Promise((resolve) => silentS3.close(resolve));
  await new Promise((resolve) => api.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const collect = (...extra: string[]) =>
  runCli(['cis', 'collect', '--socket', join(dir, 'api.sock'), '--bucket', 'evidence', '--cluster', 'fedplat-dev', '--node', 'node-a', '--levels', '2', '--instance-id', 'i-0123456789abcdef0', '--s3-endpoint', s3Url, ...extra]);

describe('cis collect against an evidence endpoint that never answers', () => {
  test('logs every retry and each failure as a JSON line naming the endpoint and limit, and exits 1', async () => {
    for (const [name, value] of Object.entries({ AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS0000', AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: 'us-east-1', BOTTLEROCKET_EKS_AWS_RESPONSE_TIMEOUT_MS: '300', BOTTLEROCKET_EKS_AWS_MAX_ATTEMPTS: '2' })) vi.stubEnv(name, value);

    const run = await collect();

    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => `${line['severity']} ${line['message']}`)).toEqual(['warning retrying', 'error cis report not collected', 'warning retrying', 'error cis report not collected']);
    expect(lines[0]).toMatchObject({ operation: 'S3 PutObject', attempt: 1, cluster: 'fedplat-dev', node: 'node-a', error: `TimeoutError: ${s3Url}: no response within 300 ms` });
    expect(lines[1]).toMatchObject({ benchmark: 'bottlerocket', error: expect.stringContaining(`${s3Url}: no response within 300 ms`) });
  });
});

describe('interval flags', () => {
  test.each([['0'], ['8761'], ['600000'], ['24h']])('--interval-hours %s is refused', async (value) => {
    const run = await collect('--loop', '--interval-hours', value);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--interval-hours must be a whole number >= 1 and <= 8760 \(hours\)/);
  });

  test('cis report --grace-hours is range-checked too', async () => {
    const run = await runCli(['cis', 'report', dir, '--grace-hours', '100000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--grace-hours must be a whole number >= 0 and <= 8760 \(hours\)/);
  });
});

describe('delay', () => {
  test('600 hours is 600 hours, not an overflowed timer that fires at once', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = delay(600 * 3_600_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(600 * 3_600_000 - MAX_TIMER_MS);
    await sleeping;
    expect(done).toBe(true);
  });

  test('an abort ends a long sleep at once', async () => {
    const stop = new AbortController();
    const sleeping = delay(600 * 3_600_000, stop.signal);
    stop.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});

describe('the Bottlerocket API client', () => {
  test('an endless answer is cut off at the cap with a clear error', async () => {
    const endless = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump();
    });
    const socket = join(dir, 'endless.sock');
    await new Promise<void>((resolve) => endless.listen(socket, resolve));
    try {
      await expect(unixSocketApi(socket, 60_000, 1024 * 1024).getJson('/os')).rejects.toThrow('GET /os: response larger than 1048576 bytes; cut off');
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });
});
