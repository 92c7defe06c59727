import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig, parsePlatformModel, type PlatformConfig } from '../../src/config/index.js';
import { evaluatePromotionGate } from '../../src/gates/rules/promotion.js';
import { environmentFacts } from '../../src/pipeline/summary.js';
import { parseLedger, promotionVerdict, type Ledger, type LedgerEntry } from '../../src/releases/index.js';

const exampleConfigText = await readFile(new URL('../../platform.yaml', import.meta.url), 'utf8');
const exampleLedgerText = await readFile(new URL('../../releases.lock.yaml', import.meta.url), 'utf8');
const example = parseConfig('platform.yaml', exampleConfigText).config;
const exampleLedger = parseLedger('releases.lock.yaml', exampleLedgerText).ledger;
const TODAY = new Date('2026-11-27T09:30:00Z');
const NEXT = '1.48.0-0a1b2c3d';

function withEntries(...entries: LedgerEntry[]): Ledger {
  return { applied: [...exampleLedger.applied, ...entries] };
}

function withProdRelease(version: string): PlatformConfig {
  return parseConfig('platform.yaml', exampleConfigText.replace('releaseVersion: 1.46.0-a8c1d6e2', `releaseVersion: ${version}`)).config;
}

const release = (version: string) => ({ kind: 'release', version }) as const;

describe('promotionVerdict (ADR15-PROMO-1)', () => {
  const devRan = withEntries({ environment: 'dev', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-27' });
  const stagingRan = withEntries(...devRan.applied.slice(exampleLedger.applied.length), { environment: 'staging', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-12-04' });

  test('the first environment in promotion.order is free', () => {
    expect(promotionVerdict(example, exampleLedger, 'dev', release(NEXT), '2026-11-27')).toEqual({ allowed: true, reason: 'dev is first in promotion.order' });
  });

  test.each([
    ['2026-11-27', false, 'dev has run release 1.48.0-0a1b2c3d only since 2026-11-27 (0 of 7 days; soaked on 2026-12-04)'],
    ['2026-12-03', false, 'dev has run release 1.48.0-0a1b2c3d only since 2026-11-27 (6 of 7 days; soaked on 2026-12-04)'],
    ['2026-12-04', true, 'soaked in dev since 2026-11-27'],
  ])('staging on %s after dev took it on 2026-11-27: allowed=%s', (day, allowed, reason) => {
    const verdict = promotionVerdict(example, devRan, 'staging', release(NEXT), day);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.reason).toContain(reason);
  });

  test('prod needs every earlier environment: with neither, both are named', () => {
    const verdict = promotionVerdict(example, exampleLedger, 'prod', release(NEXT), '2026-11-27');
    expect(verdict).toEqual({
      allowed: false,
      reason: 'prod may not take release 1.48.0-0a1b2c3d on 2026-11-27: dev has not run release 1.48.0-0a1b2c3d; staging has not run release 1.48.0-0a1b2c3d',
    });
  });

  test.each([
    ['2026-12-04', false, /staging has run release 1\.48\.0-0a1b2c3d only since 2026-12-04 \(0 of 7 days; soaked on 2026-12-11\)/],
    ['2026-12-10', false, /\(6 of 7 days; soaked on 2026-12-11\)/],
    ['2026-12-11', true, /^soaked in dev since 2026-11-27, staging since 2026-12-04$/],
  ])('prod on %s after staging took it on 2026-12-04: allowed=%s', (day, allowed, reason) => {
    const verdict = promotionVerdict(example, stagingRan, 'prod', release(NEXT), day);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.reason).toMatch(reason);
  });

  test('ledger entries dated after the day in question do not count', () => {
    expect(promotionVerdict(example, stagingRan, 'prod', release(NEXT), '2026-11-30').reason).toMatch(/staging has not run/);
  });

  test('soakDays 0 lets the next environment follow on the same day', () => {
    const noSoak = { ...example, promotion: { ...example.promotion, soakDays: 0 } };
    expect(promotionVerdict(noSoak, devRan, 'staging', release(NEXT), '2026-11-27').allowed).toBe(true);
  });

  test('a Kubernetes version is promoted by environment, independent of node groups', () => {
    const ledger = withEntries({ environment: 'dev', kubernetesVersion: '1.34', firstApplied: '2026-11-01' }, { environment: 'staging', kubernetesVersion: '1.34', firstApplied: '2026-11-18' });
    expect(promotionVerdict(example, ledger, 'prod', { kind: 'kubernetes', version: '1.34' }, '2026-11-20').reason).toMatch(/staging has run Kubernetes 1\.34 only since 2026-11-18 \(2 of 7 days/);
    expect(promotionVerdict(example, ledger, 'prod', { kind: 'kubernetes', version: '1.34' }, '2026-11-25').allowed).toBe(true);
  });
});

describe('evaluatePromotionGate', () => {
  test('GIVEN the example config and ledger THEN every pinned version of every environment passes', () => {
    const findings = example.environments.flatMap((env) => evaluatePromotionGate(example, exampleLedger, env, TODAY));

    expect(findings.map((finding) => [finding.resource, finding.result])).toEqual([
      ['dev/kubernetesVersion', 'pass'],
      ['dev/nodeGroups/general', 'pass'],
      ['dev/addons/vpc-cni', 'pass'],
      ['dev/addons/kube-proxy', 'pass'],
      ['dev/addons/coredns', 'pass'],
      // Not pinned in the example: a warning, never a pass.
      ['dev/addons/aws-ebs-csi-driver', 'warn'],
      ['dev/addons/eks-pod-identity-agent', 'warn'],
      ['staging/kubernetesVersion', 'pass'],
      ['staging/nodeGroups/general', 'pass'],
      ['staging/nodeGroups/graviton', 'pass'],
      ['staging/addons/vpc-cni', 'pass'],
      ['staging/addons/kube-proxy', 'pass'],
      ['staging/addons/coredns', 'pass'],
      // Not pinned in the example: a warning, never a pass.
      ['staging/addons/aws-ebs-csi-driver', 'warn'],
      ['staging/addons/eks-pod-identity-agent', 'warn'],
      ['prod/kubernetesVersion', 'pass'],
      ['prod/nodeGroups/general', 'pass'],
      ['prod/addons/vpc-cni', 'pass'],
      ['prod/addons/kube-proxy', 'pass'],
      ['prod/addons/coredns', 'pass'],
      // Not pinned in the example: a warning, never a pass.
      ['prod/addons/aws-ebs-csi-driver', 'warn'],
      ['prod/addons/eks-pod-identity-agent', 'warn'],
    ]);
    expect(findings[0]).toMatchObject({ id: 'ADR15-PROMO-1', source: 'ADR-15', adrSection: 'Consequences: Updates', nistControls: ['CM-3', 'CM-4', 'SI-2'] });
  });

  test('GIVEN prod hand-edited to a release with no ledger record THEN it fails as hand-edited', () => {
    const platform = withProdRelease('1.47.0-6154605b');
    const [, prodGeneral] = evaluatePromotionGate(platform, exampleLedger, platform.environments[2]!, TODAY);

    expect(prodGeneral).toMatchObject({ result: 'fail', resource: 'prod/nodeGroups/general' });
    expect(prodGeneral?.reason).toBe(
      'hand-edited: prod/nodeGroups/general runs release 1.47.0-6154605b but releases.lock.yaml has no record of it; run `bottlerocket-eks releases bump --env prod --to 1.47.0-6154605b`',
    );
  });

  test('GIVEN prod recorded on a release staging never ran THEN it fails naming staging and the dates', () => {
    const platform = withProdRelease(NEXT);
    const ledger = withEntries(
      { environment: 'dev', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-10' },
      { environment: 'prod', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-26' },
    );
    const [, prodGeneral] = evaluatePromotionGate(platform, ledger, platform.environments[2]!, TODAY);

    expect(prodGeneral).toMatchObject({ id: 'ADR15-PROMO-1', result: 'fail' });
    expect(prodGeneral?.reason).toBe('prod may not take release 1.48.0-0a1b2c3d on 2026-11-26: staging has not run release 1.48.0-0a1b2c3d');
  });

  test('GIVEN the same change recorded with an override THEN it is suppressed and carries the reason', () => {
    const platform = withProdRelease(NEXT);
    const ledger = withEntries({ environment: 'prod', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-26', override: 'CVE-2026-0001 container escape, CISO approved' });
    const [, prodGeneral] = evaluatePromotionGate(platform, ledger, platform.environments[2]!, TODAY);

    expect(prodGeneral).toMatchObject({ result: 'suppressed', reason: 'override on 2026-11-26: CVE-2026-0001 container escape, CISO approved' });
  });

  test('GIVEN a record dated after today THEN it fails: soak cannot be claimed ahead of time', () => {
    const platform = withProdRelease(NEXT);
    const ledger = withEntries(
      { environment: 'dev', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-01' },
      { environment: 'staging', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-20' },
      { environment: 'prod', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-12-01' },
    );
    const [, prodGeneral] = evaluatePromotionGate(platform, ledger, platform.environments[2]!, TODAY);

    expect(prodGeneral?.result).toBe('fail');
    expect(prodGeneral?.reason).toMatch(/first applied on 2026-12-01, after today \(2026-11-27\)/);
  });

  test('GIVEN a Kubernetes version with no record THEN it fails as hand-edited', () => {
    const platform = parseConfig('platform.yaml', exampleConfigText.replaceAll('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"')).config;
    const [kubernetes] = evaluatePromotionGate(platform, exampleLedger, platform.environments[0]!, TODAY);
    expect(kubernetes).toMatchObject({ resource: 'dev/kubernetesVersion', result: 'fail' });
    expect(kubernetes?.reason).toMatch(/^hand-edited: dev\/kubernetesVersion runs Kubernetes 1\.34 but releases\.lock\.yaml has no record of it; run `bottlerocket-eks releases bump --env dev --kubernetes-version 1\.34`$/);
  });
});

describe('the promotion verdict in the synth summary', () => {
  async function runStep(configText: string, ledgerText: string | undefined, envIndex: number) {
    const platform = parsePlatformModel('platform.yaml', configText);
    const env = platform.environments[envIndex]!;
    const ledger = ledgerText === undefined ? { applied: [] } : parseLedger('releases.lock.yaml', ledgerText).ledger;
    const findings = evaluatePromotionGate(platform, ledger, env, TODAY);
    return { findings, summary: { promotion: environmentFacts(env, { controller: 'flux', components: [], files: [] }, findings).promotion } };
  }

  test('GIVEN the example THEN prod passes and the summary says so', async () => {
    const result = await runStep(exampleConfigText, exampleLedgerText, 2);
    expect(result.findings.filter((finding) => finding.result !== 'pass').map((finding) => [finding.resource, finding.result])).toEqual([
      ['prod/addons/aws-ebs-csi-driver', 'warn'],
      ['prod/addons/eks-pod-identity-agent', 'warn'],
    ]);
    expect(result.summary).toEqual({ promotion: 'every version promoted in order' });
  });

  test('GIVEN a hand-edited prod release that staging never ran THEN the step fails with ADR15-PROMO-1', async () => {
    const result = await runStep(exampleConfigText.replace('releaseVersion: 1.46.0-a8c1d6e2', `releaseVersion: ${NEXT}`), exampleLedgerText, 2);
    const failed = result.findings.filter((finding) => finding.result === 'fail');
    expect(failed.map((finding) => [finding.id, finding.resource])).toEqual([['ADR15-PROMO-1', 'prod/nodeGroups/general']]);
    expect(result.summary).toEqual({ promotion: '1 version(s) not promoted in order' });
  });

  test('GIVEN an override in the ledger THEN the summary shows it', async () => {
    const ledgerText = `${exampleLedgerText}  - environment: prod\n    nodeGroup: general\n    releaseVersion: ${NEXT}\n    firstApplied: 2026-11-26\n    override: CVE-2026-0001 container escape, CISO approved\n`;
    const result = await runStep(exampleConfigText.replace('releaseVersion: 1.46.0-a8c1d6e2', `releaseVersion: ${NEXT}`), ledgerText, 2);
    expect(result.summary?.promotion).toBe(
      'promoted in order except overrides; OVERRIDE prod/nodeGroups/general: override on 2026-11-26: CVE-2026-0001 container escape, CISO approved',
    );
  });

  test('GIVEN no ledger beside the config THEN every pinned version fails as hand-edited', async () => {
    const result = await runStep(exampleConfigText, undefined, 0);
    // Kubernetes, the release and the three pinned add-ons; the two unpinned add-ons warn.
    expect(result.findings.map((finding) => finding.result)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'warn', 'warn']);
    expect(result.findings[1]?.reason).toMatch(/^hand-edited/);
  });
});
