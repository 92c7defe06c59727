/** `bottlerocket-eks synth` through the CLI: exit codes, stdout summary, nothing written on bad input. */
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const work = useTempDir('synth-cli-');

function config(text: string): string {
  const file = join(work.path, 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

describe('bottlerocket-eks synth', () => {
  test('GIVEN the example THEN exit 0, a summary per environment on stdout, no error on stderr', async () => {
    // The promotion ledger sits beside the config.
    copyFileSync(new URL('../../releases.lock.yaml', import.meta.url), join(work.path, 'releases.lock.yaml'));
    const out = join(work.path, 'dist');
    const run = await runCli(['--config', config(EXAMPLE_CONFIG_TEXT), 'synth', '--out', out]);
    expect(run.stderr).not.toMatch(/error|credential|warn/i);
    expect(run.code).toBe(0);
    for (const env of ['dev', 'staging', 'prod']) expect(run.stdout).toMatch(new RegExp(`^${env}\\n  stack +fedplat-${env}\\n  cluster +fedplat-${env}\\n  kubernetes version +1\\.33\\n`, 'm'));
    expect(run.stdout).toContain('general (BOTTLEROCKET_x86_64_FIPS 1.46.0-a8c1d6e2)');
    expect(run.stdout).toMatch(/gates +\d+ passed, 0 failed, \d+ suppressed/);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['dev', 'staging', 'prod', 'summary.md']));
  });

  test('GIVEN a release version of the wrong form THEN exit 2 with file:line:col, no stack trace, nothing written', async () => {
    const out = join(work.path, 'dist');
    const run = await runCli(['--config', config(EXAMPLE_CONFIG_TEXT.replace('releaseVersion: 1.46.0-a8c1d6e2', 'releaseVersion: 1.34.0')), 'synth', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/platform\.yaml:\d+:\d+: environments\[2\]\.nodeGroups\[0\]\.releaseVersion: must be a pinned Bottlerocket release/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  test('GIVEN a public endpoint THEN exit 1 naming the failed control; GIVEN a suppression with a reason THEN exit 0 and it is counted', async () => {
    const publicDev = EXAMPLE_CONFIG_TEXT.replace(
      '        natGateways: 1\n    nodeGroups:',
      '        natGateways: 1\n    endpointAccess:\n      mode: public-and-private\n      publicCidrs: [203.0.113.0/24]\n    nodeGroups:',
    );
    expect(publicDev).not.toBe(EXAMPLE_CONFIG_TEXT);
    copyFileSync(new URL('../../releases.lock.yaml', import.meta.url), join(work.path, 'releases.lock.yaml'));
    const out = join(work.path, 'dist');
    const failed = await runCli(['--config', config(publicDev), 'synth', '--out', out, '--env', 'dev']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL dev ct-eks-pr-1 \(control-tower\) fedplat-dev\/Cluster\/Cluster\/Resource: \[CT\.EKS\.PR\.1\]/m);
    expect(existsSync(out)).toBe(false);

    // The example already lists suppressions (images without a recorded digest): add one to them.
    const accepted = publicDev.replace(
      /^suppressions:\n/m,
      'suppressions:\n  - rule: ct-eks-pr-1\n    resource: Cluster/Cluster/Resource\n    reason: Operators reach the API from the agency VPN range only (203.0.113.0/24).\n    environments: [dev]\n',
    );
    expect(accepted).not.toBe(publicDev);
    const passed = await runCli(['--config', config(accepted), 'synth', '--out', out, '--env', 'dev']);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/gates +\d+ passed, 0 failed, 26 suppressed/);
  });

  test('GIVEN an unknown --env THEN exit 2', async () => {
    const run = await runCli(['--config', config(EXAMPLE_CONFIG_TEXT), 'synth', '--out', join(work.path, 'dist'), '--env', 'qa']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown environment qa/);
  });
});
