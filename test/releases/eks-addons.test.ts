/**
 * `releases bump --lookup-addons`: the real AWS SDK EKS client against a loopback EKS endpoint
 * takes the version EKS marks default for the target Kubernetes version, following pagination,
 * signed with the standard credential chain; what EKS cannot answer is bad input, never a guess.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { defaultAddonVersions } from '../../src/releases/index.js';
import { runCli } from '../support/cli.js';
import { startFakeEks, type FakeEks } from '../support/fake-eks.js';
import { sdkEnvironmentFor } from '../support/fake-ssm.js';

let eks: FakeEks;
let dir: string;

beforeAll(async () => {
  eks = await startFakeEks({
    'vpc-cni': [
      { addonVersion: 'v9.2.0-eksbuild.1', clusterVersions: ['1.33', '1.34'], defaultFor: [] },
      { addonVersion: 'v9.1.0-eksbuild.4', clusterVersions: ['1.33', '1.34'], defaultFor: ['1.34'] },
    ],
    'kube-proxy': [{ addonVersion: 'v9.34.0-eksbuild.7', clusterVersions: ['1.34'], defaultFor: ['1.34'] }],
    coredns: [{ addonVersion: 'v9.12.0-eksbuild.3', clusterVersions: ['1.33', '1.34'], defaultFor: ['1.33', '1.34'] }],
    'aws-ebs-csi-driver': [{ addonVersion: 'v9.50.0-eksbuild.1', clusterVersions: ['1.34'], defaultFor: [] }],
  });
});
afterAll(() => eks.close());

beforeEach(async () => {
  const environment = { ...sdkEnvironmentFor(eks.url), AWS_ENDPOINT_URL_EKS: eks.url };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_PROFILE', undefined);
  eks.requests.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'releases-eks-'));
  await copyFile(new URL('../../platform.yaml', import.meta.url), join(dir, 'platform.yaml'));
  await copyFile(new URL('../../releases.lock.yaml', import.meta.url), join(dir, 'releases.lock.yaml'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('EKS DescribeAddonVersions through the SDK', () => {
  test('GIVEN versions over several pages THEN the default for the cluster version is taken, and every request is signed', async () => {
    expect(await defaultAddonVersions('us-gov-west-1', '1.34', ['vpc-cni', 'kube-proxy', 'coredns'])).toEqual({
      'vpc-cni': 'v9.1.0-eksbuild.4',
      'kube-proxy': 'v9.34.0-eksbuild.7',
      coredns: 'v9.12.0-eksbuild.3',
    });
    expect(eks.requests.map(({ addonName, kubernetesVersion, nextToken }) => [addonName, kubernetesVersion, nextToken])).toEqual([
      ['vpc-cni', '1.34', null],
      ['vpc-cni', '1.34', '1'],
      ['kube-proxy', '1.34', null],
      ['coredns', '1.34', null],
    ]);
    expect(eks.requests.every((request) => request.path === '/addons/supported-versions' && /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFORTESTS0000\/\d{8}\/us-gov-west-1\/eks\/aws4_request/.test(request.authorization ?? ''))).toBe(true);
  });

  test('GIVEN an add-on EKS names no default for THEN bad input naming it', async () => {
    await expect(defaultAddonVersions('us-gov-west-1', '1.34', ['aws-ebs-csi-driver'])).rejects.toThrow(/EKS in us-gov-west-1 names no default version of aws-ebs-csi-driver for Kubernetes 1\.34; pass --addon/);
  });
});

describe('releases bump --lookup-addons', () => {
  test('GIVEN a Kubernetes upgrade THEN every pinned add-on moves to EKS\'s default with it (--addon still wins) and the ledger records each', async () => {
    const config = join(dir, 'platform.yaml');
    const run = await runCli(['--config', config, 'releases', 'bump', '--env', 'dev', '--kubernetes-version', '1.34', '--to', '1.47.0-6154605b', '--lookup-addons', '--addon', 'coredns=v1.12.4-eksbuild.1', '--date', '2026-11-30']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseConfig(config, await readFile(config, 'utf8')).config.environments[0]!.addons).toEqual({
      'vpc-cni': 'v9.1.0-eksbuild.4',
      'kube-proxy': 'v9.34.0-eksbuild.7',
      coredns: 'v1.12.4-eksbuild.1',
    });
    // CoreDNS came from --addon: EKS was not asked about it.
    expect(eks.requests.map((request) => request.addonName)).not.toContain('coredns');
    expect(await readFile(join(dir, 'releases.lock.yaml'), 'utf8')).toMatch(/- environment: dev\n {4}addon: vpc-cni\n {4}addonVersion: v9\.1\.0-eksbuild\.4\n {4}firstApplied: 2026-11-30\n/);
  });

  test('GIVEN no credentials THEN exit 2 with one line naming the permission, and nothing written', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    const before = await readFile(join(dir, 'platform.yaml'), 'utf8');
    const run = await runCli(['--config', join(dir, 'platform.yaml'), 'releases', 'bump', '--env', 'dev', '--kubernetes-version', '1.34', '--to', '1.47.0-6154605b', '--lookup-addons']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no AWS credentials: EKS DescribeAddonVersions in us-gov-west-1 needs a signed-in identity with eks:DescribeAddonVersions/);
    expect(await readFile(join(dir, 'platform.yaml'), 'utf8')).toBe(before);
  });
});
