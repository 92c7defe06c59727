/**
 * The collector end to end on loopback: a real HTTP server on a unix socket plays the Bottlerocket
 * API, s3rver plays the evidence bucket, the real AWS SDK uploads, and `cis report s3://...`
 * reads the evidence back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unixSocketApi } from '../../src/cis/collector/bottlerocket-api.js';
import { collectEvery, collectOnce, type LogLine } from '../../src/cis/collector/collect.js';
import { instanceIdFromProviderId } from '../../src/cis/collector/instance-id.js';
import { runCli } from '../support/cli.js';
import { apiReport } from './support/reports.js';

const BUCKET = 'fedplat-dev-evidence';
// s3rver's own fixed credentials; the CLI finds them through the SDK's default chain (env).
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
process.env.AWS_REGION = 'us-east-1';

let dir: string;
let socketPath: string;
let api: Server;
let s3rver: S3rver;
let endpoint: string;
let s3: S3Client;
const requests: string[] = [];
/** Per-path planned failures: the next N requests to a path answer 503. */
const failures = new Map<string, number>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cis-collector-'));
  socketPath = join(dir, 'api.sock');
  api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    const pending = failures.get(`${url.pathname}${url.search}`) ?? 0;
    if (pending > 0) {
      failures.set(`${url.pathname}${url.search}`, pending - 1);
      res.writeHead(503).end('busy');
      return;
    }
    if (url.pathname === '/os') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pretty_name: 'Bottlerocket OS 1.47.0 (aws-k8s-1.33)', variant_id: 'aws-k8s-1.33', version_id: '1.47.0', build_id: '6154605b', arch: 'x86_64' }));
      return;
    }
    const type = url.searchParams.get('type');
    const level = Number(url.searchParams.get('level'));
    if (url.pathname === '/report/cis' && url.searchParams.get('format') === 'json' && (type === 'bottlerocket' || type === 'kubernetes') && (level === 1 || level === 2)) {
      const report = apiReport({ type, level, timestamp: new Date().toISOString(), statuses: type === 'kubernetes' && level === 2 ? { '4.2.13': 'FAIL' } : {} });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => api.listen(socketPath, resolve));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = (await s3rver.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});

afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await s3rver.close();
  await rm(dir, { recursive: true, force: true });
});

async function keys(prefix = 'cis/'): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '/');

describe('cis collect on a node', () => {
  test('stores one evidence object per benchmark under the agreed key, with metadata, and logs one line each', async () => {
    const logs: LogLine[] = [];
    const outcomes = await collectOnce({
      cluster: 'fedplat-dev',
      node: 'node-a',
      bucket: BUCKET,
      kubernetesLevels: [1, 2],
      api: unixSocketApi(socketPath),
      s3,
      instanceId: async () => instanceIdFromProviderId('aws:///us-gov-west-1a/i-0abc123def4567890'),
      log: (line) => logs.push(line),
      retry: fastRetry,
    });
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined]);
    expect(await keys('cis/fedplat-dev/')).toEqual([
      `cis/fedplat-dev/${today()}/node-a/bottlerocket-L1.json`,
      `cis/fedplat-dev/${today()}/node-a/kubernetes-L1.json`,
      `cis/fedplat-dev/${today()}/node-a/kubernetes-L2.json`,
    ]);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `cis/fedplat-dev/${today()}/node-a/kubernetes-L2.json` }));
    const stored = JSON.parse(await object.Body!.transformToString());
    expect(stored).toMatchObject({ cluster: 'fedplat-dev', node: 'node-a', instanceId: 'i-0abc123def4567890', bottlerocket: { version: '1.47.0', variant: 'aws-k8s-1.33' }, benchmark: { type: 'kubernetes', level: 2 }, report: { status: 'FAIL' } });
    expect(logs).toHaveLength(3);
    expect(logs.every((l) => l['severity'] === 'info' && l['message'] === 'cis report stored')).toBe(true);
    expect(requests).toContain('/report/cis?type=kubernetes&level=2&format=json');
  });

  test('a busy API is retried with backoff; a failing report does not block the others', async () => {
    failures.set('/report/cis?type=bottlerocket&level=1&format=json', 2); // succeeds on attempt 3
    failures.set('/report/cis?type=kubernetes&level=1&format=json', 10); // never succeeds
    const logs: LogLine[] = [];
    const outcomes = await collectOnce({
      cluster: 'fedplat-dev',
      node: 'node-b',
      bucket: BUCKET,
      kubernetesLevels: [1, 2],
      api: unixSocketApi(socketPath),
      s3,
      instanceId: async () => undefined,
      log: (line) => logs.push(line),
      retry: fastRetry,
    });
    failures.clear();
    expect(outcomes.map((o) => [o.type, o.level, o.error === undefined])).toEqual([['bottlerocket', 1, true], ['kubernetes', 1, false], ['kubernetes', 2, true]]);
    expect(outcomes[1]!.error).toMatch(/HTTP 503.*after 3 attempts/);
    expect(await keys('cis/fedplat-dev/')).toContain(`cis/fedplat-dev/${today()}/node-b/bottlerocket-L1.json`);
    expect(await keys('cis/fedplat-dev/')).not.toContain(`cis/fedplat-dev/${today()}/node-b/kubernetes-L1.json`);
    expect(logs.map((l) => [l['benchmark'], l['benchmarkLevel'], l['severity']])).toEqual(
      expect.arrayContaining([['bottlerocket', 1, 'info'], ['kubernetes', 1, 'error'], ['kubernetes', 2, 'info']]),
    );
    expect(logs.find((l) => l['benchmark'] === 'bottlerocket')).toMatchObject({ attempts: 3 });
  });

  test('without OS facts nothing is stored and every report says why', async () => {
    const logs: LogLine[] = [];
    const outcomes = await collectOnce({
      cluster: 'other',
      node: 'node-z',
      bucket: BUCKET,
      kubernetesLevels: [2],
      api: unixSocketApi(join(dir, 'missing.sock')),
      s3,
      instanceId: async () => undefined,
      log: (line) => logs.push(line),
      retry: fastRetry,
    });
    expect(outcomes.every((o) => /cannot read OS facts/.test(o.error ?? ''))).toBe(true);
    // Each retry of GET /os is a log line (issue 9: a stuck node leaves a trail), then one error per report.
    expect(logs.map((l) => `${l['severity']} ${l['message']}`)).toEqual(['warning retrying', 'warning retrying', 'error cis report not collected', 'error cis report not collected']);
    expect(logs[0]).toMatchObject({ operation: 'GET /os', attempt: 1, error: expect.stringContaining('missing.sock') });
    expect(await keys('cis/other/')).toEqual([]);
  });

  test('the CLI collects, and collecting again the same day rewrites the same keys (idempotent)', async () => {
    const args = ['cis', 'collect', '--socket', socketPath, '--bucket', BUCKET, '--cluster', 'fedplat-cli', '--node', 'node-c', '--levels', '2', '--instance-id', 'i-0123456789abcdef0', '--s3-endpoint', endpoint];
    const first = await runCli(args);
    expect(first.stderr.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['cis report stored', 'cis report stored']);
    expect(first.code).toBe(0);
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(await keys('cis/fedplat-cli/')).toEqual([`cis/fedplat-cli/${today()}/node-c/bottlerocket-L1.json`, `cis/fedplat-cli/${today()}/node-c/kubernetes-L2.json`]);
  });

  test('every PUT carries an integrity checksum, as Object Lock buckets require', async () => {
    const headers: Array<Record<string, string>> = [];
    const watched = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    watched.middlewareStack.add(
      (next) => async (args) => {
        headers.push({ ...((args.request as { headers: Record<string, string> }).headers) });
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    await collectOnce({ cluster: 'fedplat-lock', node: 'node-e', bucket: BUCKET, kubernetesLevels: [2], api: unixSocketApi(socketPath), s3: watched, instanceId: async () => undefined, log: () => {}, retry: fastRetry });
    expect(headers).toHaveLength(2);
    for (const h of headers) expect(h['x-amz-checksum-sha256']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test('loop mode collects at once on start and stops cleanly when the pod is told to stop', async () => {
    const stop = new AbortController();
    const logs: LogLine[] = [];
    const log = (line: LogLine) => {
      logs.push(line);
      if (logs.length === 2) stop.abort();
    };
    // Resolves only if the abort also ends the 24-hour wait.
    await collectEvery({ cluster: 'fedplat-loop', node: 'node-d', bucket: BUCKET, kubernetesLevels: [2], api: unixSocketApi(socketPath), s3, instanceId: async () => undefined, retry: fastRetry, log }, 24, stop.signal);
    expect(logs.map((l) => l['benchmark'])).toEqual(expect.arrayContaining(['bottlerocket', 'kubernetes']));
    expect(await keys('cis/fedplat-loop/')).toHaveLength(2);
  });

  test('providerID parsing accepts only the AWS form', () => {
    expect(instanceIdFromProviderId('aws:///us-west-2a/i-0123456789abcdef0')).toBe('i-0123456789abcdef0');
    expect(instanceIdFromProviderId('kind://docker/kind/node')).toBeUndefined();
    expect(instanceIdFromProviderId(undefined)).toBeUndefined();
  });
});

describe('cis report s3://bucket/prefix reads the evidence back', () => {
  test('every stored report is ingested with its metadata; the FAIL gives exit 1', async () => {
    const run = await runCli(['cis', 'report', `s3://${BUCKET}/cis/fedplat-dev/`, `s3://${BUCKET}/cis/fedplat-cli`, '--format', 'json', '--s3-endpoint', endpoint, '--env', 'dev']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const fleet = JSON.parse(run.stdout);
    expect(fleet.nodes.map((n: { cluster: string; node: string }) => `${n.cluster}/${n.node}`)).toEqual(['fedplat-cli/node-c', 'fedplat-dev/node-a', 'fedplat-dev/node-b']);
    expect(fleet.nodes[1]).toMatchObject({ environment: 'dev', instanceId: 'i-0abc123def4567890', bottlerocketVersion: '1.47.0', variant: 'aws-k8s-1.33' });
    expect(fleet.failures.map((f: { node: string; id: string }) => `${f.node} ${f.id}`)).toEqual(['node-c 4.2.13', 'node-a 4.2.13', 'node-b 4.2.13']);
    // node-b never stored its level-1 Kubernetes report, which node-a did: missing evidence.
    expect(fleet.stale).toEqual([expect.objectContaining({ node: 'node-b', type: 'kubernetes', level: 1, lastReportAt: null })]);
  });
});
