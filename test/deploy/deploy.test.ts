/**
 * `deploy` hands the CDK CLI the assembly the gates judged. Checked with the real CDK CLI (the
 * aws-cdk package), offline: reading the gated folder as `--app`, it sees exactly one stack whose
 * template equals the gated template; an edited template or a failed gate is refused before the CLI runs.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cdkCliPath, cdkDeployArguments } from '../../src/deploy/cdk-cli.js';
import { planDeploy } from '../../src/deploy/gated-assembly.js';
import { synthPlatform } from '../../src/pipeline/synth.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';

let workDir: string;
let outDir: string;
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'deploy-'));
  writeFileSync(join(workDir, 'platform.yaml'), EXAMPLE_CONFIG_TEXT);
  copyFileSync(new URL('../../releases.lock.yaml', import.meta.url), join(workDir, 'releases.lock.yaml'));
  outDir = join(workDir, 'dist');
  const result = await synthPlatform({ configFile: join(workDir, 'platform.yaml'), outDir, environments: ['dev'], now: new Date('2026-12-01T00:00:00Z') });
  expect(result.ok).toBe(true);
}, 120_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The CDK CLI, offline and quiet: no version check, no notices, no telemetry. */
function cdk(args: readonly string[]): string {
  return execFileSync(process.execPath, [cdkCliPath(), ...args, '--no-notices', '--no-version-reporting'], {
    cwd: workDir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: workDir, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

describe('deploy', () => {
  test('the plan names the gated assembly and its one stack; the cdk arguments deploy it without synthesizing', async () => {
    const plan = await planDeploy(outDir, 'dev');
    expect(plan).toEqual({ environment: 'dev', stackName: 'fedplat-dev', assemblyDir: join(outDir, 'dev', 'cdk.out') });
    expect(cdkDeployArguments(plan)).toEqual(['deploy', '--app', plan.assemblyDir, '--exclusively', '--require-approval', 'broadening', 'fedplat-dev']);
    expect(cdkDeployArguments(plan, { importExistingResources: true, outputsFile: 'out.json', requireApproval: 'never' })).toEqual([
      'deploy', '--app', plan.assemblyDir, '--exclusively', '--require-approval', 'never', '--import-existing-resources', '--outputs-file', 'out.json', 'fedplat-dev',
    ]);
  });

  test('the real CDK CLI, given the gated folder as --app, lists one stack and prints the gated template', async () => {
    const plan = await planDeploy(outDir, 'dev');
    expect(cdk(['list', '--app', plan.assemblyDir]).trim().split('\n')).toEqual(['fedplat-dev']);
    const printed = JSON.parse(cdk(['synth', '--app', plan.assemblyDir, '--json', 'fedplat-dev']));
    const gated = JSON.parse(readFileSync(join(outDir, 'dev', 'cloudformation', 'fedplat-dev.template.json'), 'utf8'));
    // `cdk synth` hides the bootstrap version check when it prints a template; the rest is the gated template.
    expect(gated.Rules).toHaveProperty('CheckBootstrapVersion');
    const { Rules: _rules, Parameters: _parameters, ...gatedBody } = gated;
    const { Rules: _printedRules, Parameters: _printedParameters, ...printedBody } = printed;
    expect(printedBody).toEqual(gatedBody);
    expect(Object.keys(printedBody).length).toBeGreaterThan(2);
  }, 120_000);

  test('an edited template or a failed gate is refused before the CLI runs', async () => {
    const copy = join(workDir, 'tampered');
    execFileSync('cp', ['-r', outDir, copy]);
    const template = join(copy, 'dev', 'cdk.out', 'fedplat-dev.template.json');
    const edited = JSON.parse(readFileSync(template, 'utf8'));
    edited.Resources.Extra = { Type: 'AWS::SNS::Topic' };
    writeFileSync(template, JSON.stringify(edited));
    await expect(planDeploy(copy, 'dev')).rejects.toThrow(/differs from the gated cloudformation\/fedplat-dev\.template\.json/);

    execFileSync('cp', [join(outDir, 'dev', 'cdk.out', 'fedplat-dev.template.json'), template]);
    const gates = join(copy, 'dev', 'gates.json');
    const report = JSON.parse(readFileSync(gates, 'utf8')) as { findings: unknown[] };
    writeFileSync(gates, JSON.stringify({ ...report, findings: [...report.findings, { id: 'ADR15-SEAL-1', source: 'ADR-15', resource: 'x', result: 'fail' }] }));
    await expect(planDeploy(copy, 'dev')).rejects.toThrow(/dev: 1 gate finding\(s\) failed \(e\.g\. ADR15-SEAL-1 on x\)/);
    // A list of findings without the report around it (an older synth) is refused, not trusted.
    writeFileSync(gates, JSON.stringify(report.findings));
    await expect(planDeploy(copy, 'dev')).rejects.toThrow(/is not a gate report/);
    await expect(planDeploy(copy, 'staging')).rejects.toThrow(/run `bottlerocket-eks synth` first/);
  });

  test('through the CLI: a failing gate exits 1 and deploys nothing', async () => {
    const unpromoted = EXAMPLE_CONFIG_TEXT.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.48.0-0a1b2c3d');
    const config = join(workDir, 'unpromoted.yaml');
    writeFileSync(config, unpromoted);
    const run = await runCli(['--config', config, 'deploy', '--env', 'prod', '--out', join(workDir, 'refused')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/deploy: gates failed for prod.*Nothing deployed/);
    expect(run.stderr).not.toMatch(/deploy: cdk /);
  }, 120_000);
});
