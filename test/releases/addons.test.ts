/**
 * EKS add-on pins per Kubernetes minor (issue 11 item 7): `releases bump --kubernetes-version`
 * moves them with the Kubernetes version in one transaction (both files or neither), refuses when
 * no version is known for the new minor, records each in the ledger, and ADR15-PROMO-1 promotes
 * them lower → higher like releases. Every day is passed in.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { evaluatePromotionGate } from '../../src/gates/rules/promotion.js';
import { applyBump, parseLedger, type Ledger } from '../../src/releases/index.js';
import { EKS_ADDON_VERSIONS } from '../../src/releases/eks-addon-versions.js';
import { runCli } from '../support/cli.js';
import { userInputErrorOf } from '../support/refusal.js';

let dir: string;
let configFile: string;
let ledgerFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'releases-addons-'));
  configFile = join(dir, 'platform.yaml');
  ledgerFile = join(dir, 'releases.lock.yaml');
  await copyFile(new URL('../../platform.yaml', import.meta.url), configFile);
  await copyFile(new URL('../../releases.lock.yaml', import.meta.url), ledgerFile);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = (file: string) => readFile(file, 'utf8');
const NOW = new Date('2026-12-20T12:00:00Z');
const bump = (environment: string, options: { kubernetesVersion?: string; addons?: Record<string, string>; day: string }) =>
  applyBump({ configFile, ledgerFile, environment, to: '1.47.0-6154605b', ...options, now: NOW });

async function gateOn(environment: string, ledger?: Ledger) {
  const platform = parseConfig(configFile, await read(configFile)).config;
  const env = platform.environments.find((candidate) => candidate.name === environment)!;
  return evaluatePromotionGate(platform, ledger ?? parseLedger(ledgerFile, await read(ledgerFile)).ledger, env, NOW);
}

describe('releases bump moves the add-on pins with the Kubernetes version, transactionally', () => {
  test('GIVEN no version of the VPC CNI is known for 1.34 THEN the whole bump is refused, naming how to give one, and neither file changes', async () => {
    const [config, ledger] = [await read(configFile), await read(ledgerFile)];
    const outcome = await bump('dev', { kubernetesVersion: '1.34', day: '2026-12-01' });
    expect(outcome).toEqual({
      kind: 'refused',
      reasons: [expect.stringMatching(/^no version of add-on vpc-cni is known for Kubernetes 1\.34 \(src\/releases\/eks-addon-versions\.ts\); pass --addon vpc-cni=<version> from `aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1\.34`/)],
    });
    expect(await read(configFile)).toBe(config);
    expect(await read(ledgerFile)).toBe(ledger);
  });

  test('GIVEN --addon for the VPC CNI THEN Kubernetes, kube-proxy (from the recorded facts) and the VPC CNI move together, and the ledger records each', async () => {
    const before = await read(configFile);
    const outcome = await bump('dev', { kubernetesVersion: '1.34', addons: { 'vpc-cni': 'v1.20.1-eksbuild.9' }, day: '2026-12-01' });
    expect(outcome.kind).toBe('written');
    const after = await read(configFile);
    const changed = after.split('\n').filter((line, index) => line !== before.split('\n')[index]);
    expect(changed).toEqual(['    kubernetesVersion: "1.34"', '      vpc-cni: v1.20.1-eksbuild.9', `      kube-proxy: ${EKS_ADDON_VERSIONS['kube-proxy']['1.34']!.version}`]);
    const dev = parseConfig(configFile, after).config.environments[0]!;
    // CoreDNS has the same version recorded for 1.33 and 1.34: it stays, and its record stands.
    expect(dev.addons).toEqual({ 'vpc-cni': 'v1.20.1-eksbuild.9', 'kube-proxy': 'v1.34.1-eksbuild.2', coredns: 'v1.12.4-eksbuild.1' });
    const added = parseLedger(ledgerFile, await read(ledgerFile)).ledger.applied.slice(-3);
    expect(added).toEqual([
      { environment: 'dev', kubernetesVersion: '1.34', firstApplied: '2026-12-01' },
      { environment: 'dev', addon: 'vpc-cni', addonVersion: 'v1.20.1-eksbuild.9', firstApplied: '2026-12-01' },
      { environment: 'dev', addon: 'kube-proxy', addonVersion: 'v1.34.1-eksbuild.2', firstApplied: '2026-12-01' },
    ]);
    // The gate passes every pin of dev (first in promotion.order) and warns on the two unpinned add-ons.
    const findings = await gateOn('dev');
    expect(findings.filter((finding) => finding.resource.startsWith('dev/addons/')).map(({ resource, result }) => [resource, result])).toEqual([
      ['dev/addons/vpc-cni', 'pass'],
      ['dev/addons/kube-proxy', 'pass'],
      ['dev/addons/coredns', 'pass'],
      ['dev/addons/aws-ebs-csi-driver', 'warn'],
      ['dev/addons/eks-pod-identity-agent', 'warn'],
    ]);
  });

  test('GIVEN an add-on the environment does not pin THEN --addon is bad input: the bump adds no keys to platform.yaml', async () => {
    await expect(bump('dev', { addons: { 'aws-ebs-csi-driver': 'v1.50.1-eksbuild.1' }, day: '2026-12-01' })).rejects.toThrow(/dev does not pin add-on aws-ebs-csi-driver: add `aws-ebs-csi-driver: <version>` under environments\[dev\]\.addons/);
  });
});

describe('ADR15-PROMO-1 promotes add-on pins lower → higher', () => {
  test('GIVEN dev takes a new VPC CNI THEN staging is refused until dev has soaked it 7 days, then may take it', async () => {
    expect((await bump('dev', { addons: { 'vpc-cni': 'v1.20.1-eksbuild.9' }, day: '2026-12-01' })).kind).toBe('written');
    const early = await bump('staging', { addons: { 'vpc-cni': 'v1.20.1-eksbuild.9' }, day: '2026-12-07' });
    expect(early).toEqual({
      kind: 'refused',
      reasons: ['staging may not take add-on vpc-cni v1.20.1-eksbuild.9 on 2026-12-07: dev has run add-on vpc-cni v1.20.1-eksbuild.9 only since 2026-12-01 (6 of 7 days; soaked on 2026-12-08)'],
    });
    expect((await bump('staging', { addons: { 'vpc-cni': 'v1.20.1-eksbuild.9' }, day: '2026-12-08' })).kind).toBe('written');
    expect((await gateOn('staging')).find((finding) => finding.resource === 'staging/addons/vpc-cni')).toMatchObject({ result: 'pass', reason: 'soaked in dev since 2026-12-01' });
  });

  test('GIVEN prod\'s pin edited by hand THEN the gate fails it as hand-edited and names the bump that records it', async () => {
    await writeFile(configFile, (await read(configFile)).replace(/(- name: prod[\s\S]*?)vpc-cni: v1\.20\.1-eksbuild\.3/, '$1vpc-cni: v1.20.1-eksbuild.9'));
    const finding = (await gateOn('prod')).find((candidate) => candidate.resource === 'prod/addons/vpc-cni');
    expect(finding).toMatchObject({ id: 'ADR15-PROMO-1', result: 'fail' });
    expect(finding?.reason).toMatch(/^hand-edited: prod\/addons\/vpc-cni runs add-on vpc-cni v1\.20\.1-eksbuild\.9 but releases\.lock\.yaml has no record of it; run `bottlerocket-eks releases bump --env prod --addon vpc-cni=v1\.20\.1-eksbuild\.9`/);
  });

  test('GIVEN a ledger that records prod taking an add-on before staging soaked it THEN the gate fails that pin', async () => {
    const ledger = parseLedger(ledgerFile, await read(ledgerFile)).ledger;
    await writeFile(configFile, (await read(configFile)).replace(/(- name: prod[\s\S]*?)coredns: v1\.12\.4-eksbuild\.1/, '$1coredns: v1.12.4-eksbuild.9'));
    const skipped: Ledger = {
      applied: [
        ...ledger.applied,
        { environment: 'dev', addon: 'coredns', addonVersion: 'v1.12.4-eksbuild.9', firstApplied: '2026-12-01' },
        { environment: 'staging', addon: 'coredns', addonVersion: 'v1.12.4-eksbuild.9', firstApplied: '2026-12-02' },
        { environment: 'prod', addon: 'coredns', addonVersion: 'v1.12.4-eksbuild.9', firstApplied: '2026-12-03' },
      ],
    };
    const finding = (await gateOn('prod', skipped)).find((candidate) => candidate.resource === 'prod/addons/coredns');
    expect(finding).toMatchObject({ result: 'fail', reason: expect.stringContaining('staging has run add-on coredns v1.12.4-eksbuild.9 only since 2026-12-02 (1 of 7 days') });
  });
});

describe('the ledger and the CLI for add-on entries', () => {
  test.each([
    ['an add-on version without its add-on', '  - environment: dev\n    addonVersion: v1.20.1-eksbuild.3\n    firstApplied: 2026-06-02\n', /an add-on entry names its `addon` and its `addonVersion`/],
    ['an add-on entry with a node group', '  - environment: dev\n    nodeGroup: general\n    addon: vpc-cni\n    addonVersion: v1.20.1-eksbuild.3\n    firstApplied: 2026-06-02\n', /an add-on version applies to the whole environment; drop `nodeGroup`/],
    ['an add-on the platform does not install', '  - environment: dev\n    addon: metrics-server\n    addonVersion: v0.8.0-eksbuild.2\n    firstApplied: 2026-06-02\n', /^releases\.lock\.yaml:3:12: applied\[0\]\.addon: \[ADR15-PROMO-1\] Invalid option/],
  ])('GIVEN %s THEN the ledger is refused with its position', async (_what, entry, message) => {
    expect(userInputErrorOf(() => parseLedger('releases.lock.yaml', `applied:\n${entry}`)).format()).toMatch(message);
  });

  test('GIVEN --addon of the wrong form THEN exit 2; GIVEN it right THEN the CLI moves the pin and says so', async () => {
    const cli = (...args: string[]) => runCli(['--config', configFile, 'releases', 'bump', '--env', 'dev', '--to', '1.47.0-6154605b', ...args]);
    expect((await cli('--addon', 'vpc-cni=1.20.1')).code).toBe(2);
    expect((await cli('--addon', 'metrics-server=v0.8.0-eksbuild.2')).stderr).toMatch(/must be <add-on>=<version> with an add-on of vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver, eks-pod-identity-agent/);
    const moved = await cli('--addon', 'coredns=v1.12.4-eksbuild.9', '--date', '2026-11-30');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('dev/addons/coredns: v1.12.4-eksbuild.1 → v1.12.4-eksbuild.9');
  });
});
