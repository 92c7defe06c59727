/**
 * synthPlatform(): outputs, gates.json shape, suppressions, and the all-or-nothing output folder.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { MANIFEST_FILE } from '../../src/common/output-manifest.js';
import { gateReportSchema, type GateFinding } from '../../src/gates/finding.js';
import type { RenderStage } from '../../src/pipeline/render.js';
import { synthPlatform } from '../../src/pipeline/synth.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { fakeRenderStage } from '../support/fake-render.js';
import { useTempDir } from '../support/temp-dir.js';

const work = useTempDir('synth-test-');

function writeConfig(text: string): string {
  const file = join(work.path, 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

const NOW = new Date('2026-11-27T12:00:00Z');

/** A render stage that reports the given findings for every environment, without CDK (its one file: `<env>/cluster/fake.txt`). */
const fakeRender = (findings: (env: string) => GateFinding[]): RenderStage => fakeRenderStage({ clusterFile: (env) => ({ path: 'fake.txt', text: env }), findings });

const failing = (env: string): GateFinding[] => [{ id: 'AwsSolutions-S1', source: 'AwsSolutions', resource: `fedplat-${env}/Evidence/Bucket/Resource`, result: 'fail', reason: 'no logging' }];

describe('synthPlatform', () => {
  test('GIVEN the example THEN templates, the cluster layer, gates.json and summary.md are written for all three environments', async () => {
    const out = join(work.path, 'dist');
    const configFile = writeConfig(EXAMPLE_CONFIG_TEXT);
    // The promotion ledger sits beside the config.
    copyFileSync(new URL('../../releases.lock.yaml', import.meta.url), join(work.path, 'releases.lock.yaml'));
    const result = await synthPlatform({ configFile, outDir: out, now: NOW });
    expect(result.ok).toBe(true);
    expect(result.environments.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'dev', 'prod', 'staging', 'summary.md']);
    for (const env of result.environments) {
      expect(readdirSync(join(out, env.name)).sort()).toEqual(['cdk.out', 'cloudformation', 'cluster', 'gates.json']);
      expect(readdirSync(join(out, env.name, 'cloudformation'))).toEqual([`fedplat-${env.name}.template.json`]);
      const report = gateReportSchema.parse(JSON.parse(readFileSync(join(out, env.name, 'gates.json'), 'utf8')));
      const gates = report.findings;
      expect(report.environment).toBe(env.name);
      expect(report.tally).toEqual(env.tally);
      // The counts summary.md gives, stated in gates.json too.
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`| rules | ${report.rules.evaluated} evaluated a resource, ${report.rules.notApplicable} not applicable`);
      expect(report.rules.evaluated).toBe(new Set(gates.filter((finding) => finding.result !== 'not-applicable').map((finding) => `${finding.source} ${finding.id.replace(/\[.*$/, '')}`)).size);
      expect(report.rules.evaluated).toBeGreaterThan(50);
      expect(report.rules.notApplicable).toBeGreaterThan(0);
      expect(gates.length).toBe(env.findings.length);
      expect(gates.filter((finding) => finding.result === 'fail')).toEqual([]);
      expect(gates.map((finding) => finding.id)).toEqual(expect.arrayContaining(['ADR15-PROMO-1', 'ADR15-GITOPS-5', 'ADR15-AMI-1', 'ADR15-SEAL-1', 'ADR15-IMDS-1', 'ADR15-SSM-1', 'ADR15-UPD-1', 'ADR15-REL-1', 'ADR15-EP-1', 'ADR15-ENC-1']));
      expect(env.tally.suppressed).toBe(gates.filter((finding) => finding.result === 'suppressed').length);
    }
    expect(result.environments[1]!.summary['node groups']).toBe('general (BOTTLEROCKET_x86_64_FIPS 1.47.0-6154605b), graviton (BOTTLEROCKET_ARM_64_FIPS 1.47.0-6154605b)');
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('## prod');
    expect(summary).toMatch(/\| gates \| \d+ passed, 0 failed, \d+ suppressed/);
  });
});

describe('synthPlatform all-or-nothing output', () => {
  test('GIVEN a bad config THEN it throws UserInputError and writes nothing', async () => {
    const out = join(work.path, 'dist');
    const config = writeConfig(EXAMPLE_CONFIG_TEXT.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.34.0'));
    await expect(synthPlatform({ configFile: config, outDir: out, render: fakeRender(() => []) })).rejects.toThrow(UserInputError);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work.path)).toEqual(['platform.yaml']);
  });

  test('GIVEN a failing gate THEN the result lists it and the previous output stays untouched', async () => {
    const out = join(work.path, 'dist');
    const configFile = writeConfig(EXAMPLE_CONFIG_TEXT);
    expect((await synthPlatform({ configFile, outDir: out, render: fakeRender(() => []) })).ok).toBe(true);
    const before = readdirSync(out, { recursive: true }).sort();
    const devBefore = readFileSync(join(out, 'dev', 'cluster', 'fake.txt'), 'utf8');
    const result = await synthPlatform({ configFile, outDir: out, render: fakeRender(failing) });
    expect(result.ok).toBe(false);
    expect(result.environments.map((env) => env.tally.failed)).toEqual([1, 1, 1]);
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(join(out, 'dev', 'cluster', 'fake.txt'), 'utf8')).toBe(devBefore);
    expect(readdirSync(work.path).sort()).toEqual(['dist', 'platform.yaml']);
  });

  test('GIVEN a failing gate and no previous output THEN no output folder is left behind', async () => {
    const out = join(work.path, 'dist');
    const result = await synthPlatform({ configFile: writeConfig(EXAMPLE_CONFIG_TEXT), outDir: out, render: fakeRender(failing) });
    expect(result.ok).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  test('GIVEN a platform.yaml suppression THEN the finding is suppressed with its reason, counted, and synth succeeds', async () => {
    const out = join(work.path, 'dist');
    // The example already lists suppressions: add one to them.
    const suppression = [
      'suppressions:',
      '  - rule: AwsSolutions-S1',
      '    resource: Evidence/*',
      '    reason: The fixture accepts this finding on purpose for the test.',
      '    environments: [dev, staging, prod]',
      '',
    ].join('\n');
    expect(EXAMPLE_CONFIG_TEXT).toMatch(/^suppressions:\n/m);
    const result = await synthPlatform({ configFile: writeConfig(EXAMPLE_CONFIG_TEXT.replace(/^suppressions:\n/m, suppression)), outDir: out, render: fakeRender(failing) });
    expect(result.ok).toBe(true);
    // The fake render stage renders no cluster layer, so only the example's image-digest entries go unused.
    expect(result.unusedSuppressions.filter((entry) => entry.rule !== 'ADR15-GITOPS-2')).toEqual([]);
    const [finding] = gateReportSchema.parse(JSON.parse(readFileSync(join(out, 'dev', 'gates.json'), 'utf8'))).findings;
    expect(finding).toMatchObject({ id: 'AwsSolutions-S1', result: 'suppressed', reason: expect.stringContaining('accepts this finding on purpose') });
    expect(result.environments[0]!.tally).toEqual({ passed: 0, failed: 0, suppressed: 1, notApplicable: 0 });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('accepts this finding on purpose');
  });

  test('GIVEN a suppression past its expires day THEN it no longer applies and synth fails with SUPPRESSION-EXPIRED', async () => {
    const out = join(work.path, 'dist');
    const suppression = [
      'suppressions:',
      '  - rule: AwsSolutions-S1',
      '    resource: Evidence/*',
      '    reason: the platform team accepts this finding on purpose, until its next review',
      '    expires: 2026-11-30',
      '',
    ].join('\n');
    const result = await synthPlatform({ configFile: writeConfig(EXAMPLE_CONFIG_TEXT.replace(/^suppressions:\n/m, suppression)), outDir: out, render: fakeRender(failing), now: new Date('2026-12-01T00:00:00Z') });
    expect(result.ok).toBe(false);
    expect(result.environments[0]!.findings).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-S1', result: 'fail' }),
      expect.objectContaining({ id: 'SUPPRESSION-EXPIRED', result: 'fail', reason: expect.stringMatching(/expired on 2026-11-30/) }),
    ]);
    expect(result.unusedSuppressions.map((entry) => entry.rule)).not.toContain('AwsSolutions-S1');
    expect(existsSync(out)).toBe(false);
  });

  test('GIVEN --env staging THEN only staging runs; GIVEN an unknown env THEN UserInputError', async () => {
    const out = join(work.path, 'dist');
    const config = writeConfig(EXAMPLE_CONFIG_TEXT);
    const result = await synthPlatform({ configFile: config, outDir: out, environments: ['staging'], render: fakeRender(() => []) });
    expect(result.environments.map((env) => env.name)).toEqual(['staging']);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'staging', 'summary.md']);
    await expect(synthPlatform({ configFile: config, outDir: out, environments: ['qa'], render: fakeRender(() => []) })).rejects.toThrow(/unknown environment qa/);
  });
});
