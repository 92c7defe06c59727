/** ADR15-PROMO-1 through the synth pipeline (promotion step only: no CDK needed to judge versions). */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { promotionStep } from '../../src/pipeline/promotion-step.js';
import { STEPS } from '../../src/pipeline/steps.js';
import { synthPlatform } from '../../src/pipeline/synth.js';

const NOW = new Date('2026-11-27T10:00:00Z');

async function project(edit: (config: string) => string, ledgerSuffix = '') {
  const dir = await mkdtemp(join(tmpdir(), 'promotion-synth-'));
  const configFile = join(dir, 'platform.yaml');
  await writeFile(configFile, edit(await readFile(new URL('../../platform.yaml', import.meta.url), 'utf8')));
  await copyFile(new URL('../../releases.lock.yaml', import.meta.url), join(dir, 'releases.lock.yaml'));
  if (ledgerSuffix) await writeFile(join(dir, 'releases.lock.yaml'), `${await readFile(join(dir, 'releases.lock.yaml'), 'utf8')}${ledgerSuffix}`);
  return { configFile, outDir: join(dir, 'dist') };
}

const handEditProd = (config: string) => config.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.48.0-0a1b2c3d');

describe('synth with the promotion step', () => {
  test('the promotion step is part of every synth', () => {
    expect(STEPS).toContain(promotionStep);
  });

  test('GIVEN the example THEN synth passes and the summary reports promotion', async () => {
    const { configFile, outDir } = await project((config) => config);
    const result = await synthPlatform({ configFile, outDir, steps: [promotionStep], now: NOW });

    expect(result.ok).toBe(true);
    expect(await readFile(join(outDir, 'summary.md'), 'utf8')).toMatch(/\| promotion \| every version promoted in order \|/);
  });

  test('GIVEN a hand-edited prod release that staging never ran THEN synth fails with ADR15-PROMO-1 and writes nothing', async () => {
    const { configFile, outDir } = await project(handEditProd);
    const result = await synthPlatform({ configFile, outDir, steps: [promotionStep], now: NOW });

    expect(result.ok).toBe(false);
    expect(existsSync(outDir)).toBe(false);
    const prod = result.environments.find((env) => env.name === 'prod');
    expect(prod?.findings.filter((finding) => finding.result === 'fail')).toEqual([
      expect.objectContaining({ id: 'ADR15-PROMO-1', resource: 'prod/nodeGroups/general', reason: expect.stringMatching(/^hand-edited: .*releases bump --env prod --to 1\.48\.0-0a1b2c3d/) }),
    ]);
  });

  test('GIVEN prod recorded before staging soaked THEN synth fails naming the environments and dates', async () => {
    const ledger = [
      ['dev', '2026-11-10'],
      ['staging', '2026-11-22'],
      ['prod', '2026-11-25'],
    ].map(([env, day]) => `  - environment: ${env}\n    nodeGroup: general\n    releaseVersion: 1.48.0-0a1b2c3d\n    firstApplied: ${day}\n`).join('');
    const { configFile, outDir } = await project(handEditProd, ledger);
    const result = await synthPlatform({ configFile, outDir, steps: [promotionStep], now: NOW });

    expect(result.ok).toBe(false);
    const failed = result.environments.flatMap((env) => env.findings.filter((finding) => finding.result === 'fail'));
    expect(failed.map((finding) => finding.reason)).toEqual([
      'prod may not take release 1.48.0-0a1b2c3d on 2026-11-25: staging has run release 1.48.0-0a1b2c3d only since 2026-11-22 (3 of 7 days; soaked on 2026-11-29)',
    ]);
  });

  test('GIVEN an override in the ledger THEN synth passes and summary.md shows the suppressed finding with its reason', async () => {
    const reason = 'CVE-2026-0001 container escape fix, CISO approved (CHG-1234)';
    const { configFile, outDir } = await project(handEditProd, `  - environment: prod\n    nodeGroup: general\n    releaseVersion: 1.48.0-0a1b2c3d\n    firstApplied: 2026-11-26\n    override: ${reason}\n`);
    const result = await synthPlatform({ configFile, outDir, steps: [promotionStep], now: NOW });

    expect(result.ok).toBe(true);
    const summary = await readFile(join(outDir, 'summary.md'), 'utf8');
    expect(summary).toContain(`| ADR15-PROMO-1 | prod/nodeGroups/general | override on 2026-11-26: ${reason} |`);
    expect(summary).toMatch(/\| promotion \| promoted in order except overrides; OVERRIDE prod\/nodeGroups\/general/);
  });
});
