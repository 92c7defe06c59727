/**
 * Issue 6 acceptance, end to end through the CLI with the real AWS SDK talking to a loopback
 * SSM endpoint: check → bump dev → prod refused → staging → prod refused until soaked → prod.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { evaluatePromotionGate } from '../../src/gates/rules/promotion.js';
import { parseLedger } from '../../src/releases/index.js';
import { runCli } from '../support/cli.js';
import { PARAMETER, sdkEnvironmentFor } from '../support/fake-ssm.js';
import { useReleasesWorkspace } from '../support/releases-workspace.js';

const NEXT = '1.48.0-0a1b2c3d';
const CURRENT = '1.47.0-6154605b';
const ws = useReleasesWorkspace('releases-acceptance-');

beforeEach(() => {
  // bump refuses a --date in the future (issue 9): the walk below happens "today", 2026-12-11.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date('2026-12-11T12:00:00Z'));
  ws.ssm.parameters.clear();
  ws.ssm.parameters.set(PARAMETER.dev, { value: NEXT, lastModified: new Date('2026-11-20T17:00:00Z') });
  ws.ssm.parameters.set(PARAMETER.fipsX86, { value: CURRENT });
  ws.ssm.parameters.set(PARAMETER.fipsArm, { value: CURRENT });
  for (const [name, value] of Object.entries(sdkEnvironmentFor(ws.ssm.url))) vi.stubEnv(name, value);
  vi.stubEnv('AWS_PROFILE', undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** Line numbers of the releaseVersion lines: dev/general, staging/general, staging/graviton, prod/general. */
function releaseLines(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (/^\s+releaseVersion: /.test(line) ? [index + 1] : []));
}

const releases = (...args: string[]) => runCli(['--config', ws.configFile, 'releases', ...args]);
const read = (file: string) => readFile(file, 'utf8');

/** Lines that differ between two versions of a file of the same line count, as [line number, new text]. */
function changedLines(before: string, after: string): Array<[number, string]> {
  const [old, now] = [before.split('\n'), after.split('\n')];
  expect(now).toHaveLength(old.length);
  return now.flatMap((line, index): Array<[number, string]> => (line === old[index] ? [] : [[index + 1, line]]));
}

describe('releases check', () => {
  test('GIVEN SSM serves a newer release for dev\'s variant THEN check exits 10 and shows dev behind and allowed to take it', async () => {
    const run = await releases('check', '--date', '2026-11-27');

    expect(run.code).toBe(10);
    const rows = run.stdout.split('\n');
    expect(rows.find((row) => row.startsWith('dev '))).toMatch(/^dev\s+general\s+aws-k8s-1\.33\/x86_64\s+1\.47\.0-6154605b\s+1\.48\.0-0a1b2c3d\s+1 release\(s\), 7 day\(s\)\s+yes$/);
    expect(rows.filter((row) => row.startsWith('staging '))).toEqual([expect.stringMatching(/\scurrent\s+-$/), expect.stringMatching(/\scurrent\s+-$/)]);
    expect(run.stdout).toMatch(/2 of 4 node group\(s\) behind/);
  });

  test('--format json gives one object per node group, with the promotion verdict', async () => {
    const run = await releases('check', '--format', 'json', '--env', 'prod', '--date', '2026-11-27');

    expect(run.code).toBe(10);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        environment: 'prod',
        nodeGroup: 'general',
        variant: 'aws-k8s-1.33-fips/x86_64',
        pinned: '1.46.0-a8c1d6e2',
        latest: CURRENT,
        current: false,
        releasesBehind: 1,
        daysBehind: 38,
        mayTakeNow: true,
        promotion: 'soaked in dev since 2026-10-20, staging since 2026-10-28',
      },
    ]);
  });

  test('GIVEN every node group on its latest THEN check exits 0', async () => {
    const run = await releases('check', '--env', 'staging');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/all node groups run the latest release/);
  });

  test('GIVEN no AWS credentials THEN check exits 2 with one line and no stack trace', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);

    const run = await releases('check');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no AWS credentials: reading the public Bottlerocket SSM parameters in us-gov-west-1/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  test('GIVEN a variant Amazon does not publish THEN check exits 2 naming it', async () => {
    await writeFile(ws.configFile, (await read(ws.configFile)).replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.19"'));

    const run = await releases('check', '--env', 'dev');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no Bottlerocket release is published in us-gov-west-1 for variant aws-k8s-1\.19\/x86_64/);
  });

  test.each([
    [['check', '--env', 'qa'], /no environment "qa"; environments are dev, staging, prod/],
    [['check', '--date', '2026-13-01'], /must be a UTC day in YYYY-MM-DD form/],
    [['bump', '--env', 'dev', '--to', '1.48.0'], /--to 1\.48\.0: must be a release in the `<version>-<build>` form/],
    [['bump', '--env', 'prod', '--to', NEXT, '--override', 'urgent'], /--override needs a written reason of at least 20 characters/],
    [['bump', '--env', 'dev', '--kubernetes-version', '1.34.1'], /--kubernetes-version 1\.34\.1: must be a Kubernetes minor version/],
  ])('bad usage %j exits 2', async (args, message) => {
    const run = await releases(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('releases bump: the promotion walk of issue 6', () => {
  test('dev takes the latest, prod is refused until staging has soaked it, then prod may take it', async () => {
    const originalConfig = await read(ws.configFile);
    const originalLedger = await read(ws.ledgerFile);
    const [devLine, stagingGeneralLine, stagingGravitonLine, prodLine] = releaseLines(originalConfig);

    // dev: first in promotion.order, target from SSM.
    const dev = await releases('bump', '--env', 'dev', '--date', '2026-11-27');
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain(`dev/general: ${CURRENT} → ${NEXT}`);
    const afterDev = await read(ws.configFile);
    expect(changedLines(originalConfig, afterDev)).toEqual([[devLine, `        releaseVersion: ${NEXT}`]]);
    expect(await read(ws.ledgerFile)).toBe(`${originalLedger}  - environment: dev\n    nodeGroup: general\n    releaseVersion: ${NEXT}\n    firstApplied: 2026-11-27\n`);

    // prod right after: refused, files untouched.
    const ledgerAfterDev = await read(ws.ledgerFile);
    const refused = await releases('bump', '--env', 'prod', '--to', NEXT, '--date', '2026-11-27');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `refused [ADR15-PROMO-1]: prod may not take release ${NEXT} on 2026-11-27: dev has run release ${NEXT} only since 2026-11-27 (0 of 7 days; soaked on 2026-12-04); staging has not run release ${NEXT}\n`,
    );
    expect(await read(ws.configFile)).toBe(afterDev);
    expect(await read(ws.ledgerFile)).toBe(ledgerAfterDev);

    // staging once dev has soaked: both node groups move.
    const staging = await releases('bump', '--env', 'staging', '--to', NEXT, '--date', '2026-12-04');
    expect(staging.code).toBe(0);
    expect(changedLines(afterDev, await read(ws.configFile)).map(([line]) => line)).toEqual([stagingGeneralLine, stagingGravitonLine]);

    // prod while staging is still soaking: refused with the day it will be ready.
    const early = await releases('bump', '--env', 'prod', '--to', NEXT, '--date', '2026-12-08');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/staging has run release 1\.48\.0-0a1b2c3d only since 2026-12-04 \(4 of 7 days; soaked on 2026-12-11\)/);

    // prod once the ledger shows staging soaked.
    const prod = await releases('bump', '--env', 'prod', '--to', NEXT, '--date', '2026-12-11');
    expect(prod.code).toBe(0);
    const finalConfig = await read(ws.configFile);
    expect(changedLines(originalConfig, finalConfig).map(([line]) => line)).toEqual([devLine, stagingGeneralLine, stagingGravitonLine, prodLine]);

    // And synth's gate agrees with what bump did.
    const platform = parseConfig(ws.configFile, finalConfig).config;
    const ledger = parseLedger(ws.ledgerFile, await read(ws.ledgerFile)).ledger;
    const findings = platform.environments.flatMap((env) => evaluatePromotionGate(platform, ledger, env, new Date('2026-12-11T12:00:00Z')));
    expect(findings.filter((finding) => finding.result !== 'pass')).toEqual([]);
  });

  test('comments and formatting survive a bump: only the release scalar changes', async () => {
    const original = await read(ws.configFile);
    await releases('bump', '--env', 'prod', '--to', CURRENT, '--date', '2026-11-27');
    const after = await read(ws.configFile);

    expect(changedLines(original, after)).toEqual([[releaseLines(original)[3], `        releaseVersion: ${CURRENT}`]]);
    expect(after.split('\n').filter((line) => line.trimStart().startsWith('#'))).toEqual(original.split('\n').filter((line) => line.trimStart().startsWith('#')));
    expect(after).toContain('order: [dev, staging, prod]');
  });

  test('an override lets an emergency fix through and is recorded; the gate shows it as suppressed', async () => {
    const reason = 'CVE-2026-0001 container escape fix, CISO approved (CHG-1234)';
    const run = await releases('bump', '--env', 'prod', '--to', NEXT, '--override', reason, '--date', '2026-11-27');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`prod/general: 1.46.0-a8c1d6e2 → ${NEXT} OVERRIDE: ${reason}`);
    const ledger = parseLedger(ws.ledgerFile, await read(ws.ledgerFile)).ledger;
    expect(ledger.applied.at(-1)).toEqual({ environment: 'prod', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-27', override: reason });
    const platform = parseConfig(ws.configFile, await read(ws.configFile)).config;
    const [, prodGeneral] = evaluatePromotionGate(platform, ledger, platform.environments[2]!, new Date('2026-11-27T12:00:00Z'));
    expect(prodGeneral).toMatchObject({ result: 'suppressed', reason: `override on 2026-11-27: ${reason}` });
  });

  test('GIVEN the environment already runs the latest and the ledger records it THEN bump changes nothing', async () => {
    const before = await read(ws.ledgerFile);
    const run = await releases('bump', '--env', 'staging', '--date', '2026-11-27');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/staging: already on its target versions, and the ledger records them/);
    expect(await read(ws.ledgerFile)).toBe(before);
  });

  test('a Kubernetes upgrade is bumped and promoted like a release: the release follows the new variant', async () => {
    ws.ssm.parameters.set('/aws/service/bottlerocket/aws-k8s-1.34/x86_64/latest/image_version', { value: NEXT });
    ws.ssm.parameters.set('/aws/service/bottlerocket/aws-k8s-1.34-fips/x86_64/latest/image_version', { value: NEXT });
    ws.ssm.parameters.set('/aws/service/bottlerocket/aws-k8s-1.34-fips/arm64/latest/image_version', { value: NEXT });
    const original = await read(ws.configFile);

    const dev = await releases('bump', '--env', 'dev', '--kubernetes-version', '1.34', '--date', '2026-11-27');

    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain('dev/kubernetesVersion: 1.33 → 1.34');
    expect(dev.stdout).toContain(`dev/general: ${CURRENT} → ${NEXT}`);
    const kubernetesLine = original.split('\n').findIndex((line) => line === '    kubernetesVersion: "1.33"') + 1;
    expect(changedLines(original, await read(ws.configFile))).toEqual([
      [kubernetesLine, '    kubernetesVersion: "1.34"'],
      [releaseLines(original)[0], `        releaseVersion: ${NEXT}`],
    ]);
    const ledger = parseLedger(ws.ledgerFile, await read(ws.ledgerFile)).ledger;
    expect(ledger.applied.slice(-2)).toEqual([
      { environment: 'dev', kubernetesVersion: '1.34', firstApplied: '2026-11-27' },
      { environment: 'dev', nodeGroup: 'general', releaseVersion: NEXT, firstApplied: '2026-11-27' },
    ]);

    const staging = await releases('bump', '--env', 'staging', '--kubernetes-version', '1.34', '--to', CURRENT, '--date', '2026-12-01');
    expect(staging.code).toBe(1);
    expect(staging.stderr).toBe('refused [ADR15-PROMO-1]: staging may not take Kubernetes 1.34 on 2026-12-01: dev has run Kubernetes 1.34 only since 2026-11-27 (4 of 7 days; soaked on 2026-12-04)\n');
  });
});
