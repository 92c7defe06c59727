/**
 * synthPlatform(): outputs, gates.json shape, suppressions, and the all-or-nothing output folder.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { UserInputError } from '../../src/common/errors.js';
import { gateFindingSchema, type GateFinding } from '../../src/gates/finding.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { judgePlatform, type RenderedEnvironment } from '../../src/pipeline/judge.js';
import { synthPlatform } from '../../src/pipeline/synth.js';
import { writeSynthOutput } from '../../src/pipeline/write.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'synth-test-'));
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

function writeConfig(text: string): string {
  const file = join(workDir, 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

const LEDGER = new URL('../../releases.lock.yaml', import.meta.url);

/** What the render stage hands the judge, with the given findings and no real outputs (no CDK). */
function renderedWith(findings: (env: string) => GateFinding[]): RenderedEnvironment[] {
  const model = parsePlatformModel('platform.yaml', EXAMPLE_CONFIG_TEXT);
  return model.environments.map((env) => ({
    env,
    stackName: env.stackName,
    template: { Resources: {} },
    tree: { controller: 'flux', components: [], files: [] },
    clusterFiles: [{ path: 'kustomization.yaml', text: `# ${env.name}\n` }],
    findings: findings(env.name),
  }));
}

const failing = (env: string): GateFinding[] => [{ id: 'AwsSolutions-S1', source: 'AwsSolutions', resource: `fedplat-${env}/Evidence/Bucket/Resource`, result: 'fail', reason: 'no logging' }];

describe('synthPlatform', () => {
  test('GIVEN the example THEN templates, gates.json and summary.md are written for all three environments', async () => {
    const out = join(workDir, 'dist');
    const config = writeConfig(EXAMPLE_CONFIG_TEXT);
    copyFileSync(LEDGER, join(workDir, 'releases.lock.yaml'));
    const result = await synthPlatform({ configFile: config, outDir: out, now: new Date('2026-11-27T12:00:00Z') });
    expect(result.ok).toBe(true);
    expect(result.environments.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
    expect(readdirSync(out).sort()).toEqual(['dev', 'prod', 'staging', 'summary.md']);
    for (const env of result.environments) {
      expect(readdirSync(join(out, env.name)).sort()).toEqual(['cloudformation', 'cluster', 'gates.json']);
      expect(readdirSync(join(out, env.name, 'cloudformation'))).toEqual([`fedplat-${env.name}.template.json`]);
      const gates = z.array(gateFindingSchema).parse(JSON.parse(readFileSync(join(out, env.name, 'gates.json'), 'utf8')));
      expect(gates.length).toBe(env.findings.length);
      expect(gates.filter((finding) => finding.result === 'fail')).toEqual([]);
      expect(gates.map((finding) => finding.id)).toEqual(expect.arrayContaining(['ADR15-AMI-1', 'ADR15-SEAL-1', 'ADR15-IMDS-1', 'ADR15-SSM-1', 'ADR15-UPD-1', 'ADR15-REL-1', 'ADR15-EP-1', 'ADR15-ENC-1']));
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
    const out = join(workDir, 'dist');
    const config = writeConfig(EXAMPLE_CONFIG_TEXT.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.34.0'));
    await expect(synthPlatform({ configFile: config, outDir: out })).rejects.toThrow(UserInputError);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(workDir)).toEqual(['platform.yaml']);
  });

  test('GIVEN an unknown env THEN UserInputError before any work', async () => {
    await expect(synthPlatform({ configFile: writeConfig(EXAMPLE_CONFIG_TEXT), outDir: join(workDir, 'dist'), environments: ['qa'] })).rejects.toThrow(/unknown environment qa/);
    expect(readdirSync(workDir)).toEqual(['platform.yaml']);
  });

  test('GIVEN a failing gate THEN the judgement lists it and the previous output stays untouched', async () => {
    const out = join(workDir, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'previous.txt'), 'keep me');
    const model = parsePlatformModel('platform.yaml', EXAMPLE_CONFIG_TEXT);
    const judgement = judgePlatform(model, renderedWith(failing));
    expect(judgement.ok).toBe(false);
    expect(judgement.outputs.map(({ result }) => result.tally.failed)).toEqual([1, 1, 1]);
    await writeSynthOutput(out, model.project, judgement.outputs, judgement.ok);
    expect(readdirSync(out)).toEqual(['previous.txt']);
    expect(readdirSync(workDir).sort()).toEqual(['dist']);
  });

  test('GIVEN no failure THEN the output replaces the previous one in one move', async () => {
    const out = join(workDir, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'previous.txt'), 'replaced');
    const model = parsePlatformModel('platform.yaml', EXAMPLE_CONFIG_TEXT);
    const judgement = judgePlatform(model, renderedWith(() => []));
    await writeSynthOutput(out, model.project, judgement.outputs, judgement.ok);
    expect(readdirSync(out).sort()).toEqual(['dev', 'prod', 'staging', 'summary.md']);
    expect(readdirSync(join(out, 'dev')).sort()).toEqual(['cloudformation', 'cluster', 'gates.json']);
    expect(readFileSync(join(out, 'dev', 'cluster', 'kustomization.yaml'), 'utf8')).toBe('# dev\n');
    expect(readdirSync(workDir)).toEqual(['dist']);
  });

  test('GIVEN a platform.yaml suppression THEN the finding is suppressed with its reason, counted, and the judgement passes', async () => {
    const out = join(workDir, 'dist');
    const suppression = [
      'suppressions:',
      '  - rule: AwsSolutions-S1',
      '    resource: Evidence/*',
      '    reason: The fixture accepts this finding on purpose for the test.',
      '    environments: [dev, staging, prod]',
      '',
    ].join('\n');
    const model = parsePlatformModel('platform.yaml', `${EXAMPLE_CONFIG_TEXT}\n${suppression}`);
    const judgement = judgePlatform(model, renderedWith(failing));
    expect(judgement.ok).toBe(true);
    expect(judgement.unusedSuppressions).toEqual([]);
    await writeSynthOutput(out, model.project, judgement.outputs, judgement.ok);
    const [finding] = JSON.parse(readFileSync(join(out, 'dev', 'gates.json'), 'utf8')) as GateFinding[];
    expect(finding).toMatchObject({ id: 'AwsSolutions-S1', result: 'suppressed', reason: expect.stringContaining('accepts this finding on purpose') });
    expect(judgement.outputs[0]!.result.tally).toEqual({ passed: 0, failed: 0, suppressed: 1, notApplicable: 0 });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('accepts this finding on purpose');
  });

  test('GIVEN --env staging THEN only staging is synthesized and written', async () => {
    const out = join(workDir, 'dist');
    copyFileSync(LEDGER, join(workDir, 'releases.lock.yaml'));
    const result = await synthPlatform({ configFile: writeConfig(EXAMPLE_CONFIG_TEXT), outDir: out, environments: ['staging'], now: new Date('2026-11-27T12:00:00Z') });
    expect(result.ok).toBe(true);
    expect(result.environments.map((env) => env.name)).toEqual(['staging']);
    expect(readdirSync(out).sort()).toEqual(['staging', 'summary.md']);
  });
});
