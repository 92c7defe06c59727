/**
 * ADR15-PROMO-1 where it matters: a never-promoted release edited into prod by hand fails
 * `bottlerocket-eks synth` and `npx cdk synth` (the real CDK CLI running cdk.json's app) with the
 * same finding, and a platform.yaml suppression lets both through.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { synthPlatform } from '../../src/pipeline/synth.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = new Date('2026-11-27T10:00:00Z');
const HAND_EDITED = /hand-edited: prod\/nodeGroups\/general runs release 1\.48\.0-0a1b2c3d but releases\.lock\.yaml has no record of it; run `bottlerocket-eks releases bump --env prod --to 1\.48\.0-0a1b2c3d`/;

async function project(edit: (config: string) => string, ledgerSuffix = '') {
  const dir = await mkdtemp(join(tmpdir(), 'promotion-synth-'));
  const configFile = join(dir, 'platform.yaml');
  await writeFile(configFile, edit(await readFile(new URL('../../platform.yaml', import.meta.url), 'utf8')));
  await copyFile(new URL('../../releases.lock.yaml', import.meta.url), join(dir, 'releases.lock.yaml'));
  if (ledgerSuffix) await writeFile(join(dir, 'releases.lock.yaml'), `${await readFile(join(dir, 'releases.lock.yaml'), 'utf8')}${ledgerSuffix}`);
  return { dir, configFile, outDir: join(dir, 'dist') };
}

/** `npx cdk synth` from the repository (cdk.json runs build/pipeline/cdk-app.js, which `npm test` builds first). */
function cdkSynth(configFile: string, dir: string) {
  return spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', join(dir, 'cdk.out')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: dir, BOTTLEROCKET_EKS_CONFIG: configFile, CDK_DISABLE_VERSION_CHECK: 'true' },
    encoding: 'utf8',
  });
}

const handEditProd = (config: string) => config.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.48.0-0a1b2c3d');

describe('GIVEN a never-promoted release edited into prod by hand', () => {
  test('THEN `bottlerocket-eks synth` and `npx cdk synth` both fail with ADR15-PROMO-1 on prod/nodeGroups/general', async () => {
    const { dir, configFile, outDir } = await project(handEditProd);
    const result = await synthPlatform({ configFile, outDir, environments: ['prod'], now: NOW });
    expect(result.ok).toBe(false);
    expect(existsSync(outDir)).toBe(false);
    const failed = result.environments.flatMap((env) => env.findings.filter((finding) => finding.result === 'fail'));
    expect(failed).toEqual([expect.objectContaining({ id: 'ADR15-PROMO-1', resource: 'prod/nodeGroups/general', reason: expect.stringMatching(HAND_EDITED) })]);

    const cdk = cdkSynth(configFile, dir);
    expect(cdk.status).not.toBe(0);
    expect(cdk.stderr).toContain(`ADR15-PROMO-1 prod/nodeGroups/general: ${failed[0]!.reason}`);
    // The violation points at the node group the finding is about.
    expect(cdk.stderr).toMatch(/fedplat-prod\/Nodegroup-general\/Nodegroup/);
    // Nothing else fails: the only difference from the example is the hand edit.
    expect(cdk.stderr.match(/^ERROR /gm)).toHaveLength(1);
  });

  test('WHEN platform.yaml suppresses that finding THEN both pass and the suppression is visible', async () => {
    const suppression = 'suppressions:\n  - rule: ADR15-PROMO-1\n    resource: prod/nodeGroups/general\n    reason: Emergency fix approved by the CISO under change CHG-1234.\n    environments: [prod]\n';
    // The example already lists suppressions: add this one to them.
    const { dir, configFile, outDir } = await project((config) => handEditProd(config).replace(/^suppressions:\n/m, suppression));
    const result = await synthPlatform({ configFile, outDir, environments: ['prod'], now: NOW });
    expect(result.ok).toBe(true);
    expect(result.unusedSuppressions.map((entry) => entry.rule)).not.toContain('ADR15-PROMO-1');
    expect(await readFile(join(outDir, 'summary.md'), 'utf8')).toMatch(/\| ADR15-PROMO-1 \| prod\/nodeGroups\/general \| Emergency fix approved by the CISO/);

    const cdk = cdkSynth(configFile, dir);
    // No error; the example's unpinned add-ons are ADR15-PROMO-1 warnings, which CDK prints and passes.
    expect(cdk.stderr).not.toMatch(/ADR15-PROMO-1 prod\/nodeGroups\/general|^ERROR /m);
    expect(cdk.status).toBe(0);
  });

  test('WHEN the ledger records an override THEN synth passes and summary.md shows the suppressed finding with its reason', async () => {
    const reason = 'CVE-2026-0001 container escape fix, CISO approved (CHG-1234)';
    const { configFile, outDir } = await project(handEditProd, `  - environment: prod\n    nodeGroup: general\n    releaseVersion: 1.48.0-0a1b2c3d\n    firstApplied: 2026-11-26\n    override: ${reason}\n`);
    const result = await synthPlatform({ configFile, outDir, environments: ['prod'], now: NOW });
    expect(result.ok).toBe(true);
    const summary = await readFile(join(outDir, 'summary.md'), 'utf8');
    expect(summary).toContain(`| ADR15-PROMO-1 | prod/nodeGroups/general | override on 2026-11-26: ${reason} |`);
    expect(summary).toMatch(/\| promotion \| promoted in order except overrides; OVERRIDE prod\/nodeGroups\/general/);
  });
});
