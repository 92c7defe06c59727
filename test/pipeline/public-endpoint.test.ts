/**
 * The documented weakening of a public endpoint and the suppression it needs (README, "Secure
 * defaults"): with explicit CIDRs, ADR15-EP-1 passes but Control Tower CT.EKS.PR.1 fails synth
 * until `ct-eks-pr-1` on `Cluster/Cluster/Resource` is accepted with a reason.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'public-endpoint-'));
  copyFileSync(new URL('../../releases.lock.yaml', import.meta.url), join(dir, 'releases.lock.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWith(suppression: boolean): string {
  let text = EXAMPLE_CONFIG_TEXT.replace('    nodeGroups:\n', '    endpointAccess:\n      mode: public-and-private\n      publicCidrs: [203.0.113.0/24]\n    nodeGroups:\n');
  if (suppression) {
    text = text.replace(
      /^suppressions:\n/m,
      'suppressions:\n  - rule: ct-eks-pr-1\n    resource: Cluster/Cluster/Resource\n    reason: the dev API is reachable from the office network 203.0.113.0/24 only\n    environments: [dev]\n',
    );
  }
  expect(text).not.toBe(EXAMPLE_CONFIG_TEXT);
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

describe('a public endpoint', () => {
  test('GIVEN public-and-private with explicit CIDRs and no suppression THEN synth fails on ct-eks-pr-1 only, ADR15-EP-1 passes', async () => {
    const { code, stdout } = await runCli(['--config', configWith(false), 'synth', '--env', 'dev', '--out', join(dir, 'dist')], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout.match(/^FAIL .*$/gm)).toEqual([expect.stringMatching(/^FAIL dev ct-eks-pr-1 \(control-tower\) fedplat-dev\/Cluster\/Cluster\/Resource/)]);
  });

  test('GIVEN the documented suppression THEN synth succeeds and gates.json keeps the finding as suppressed with the reason', async () => {
    const out = join(dir, 'dist');
    const { code } = await runCli(['--config', configWith(true), 'synth', '--env', 'dev', '--out', out], { cwd: dir });
    expect(code).toBe(0);
    const gates = (JSON.parse(readFileSync(join(out, 'dev', 'gates.json'), 'utf8')) as { findings: Array<{ id: string; result: string; reason?: string }> }).findings;
    expect(gates.filter((finding) => finding.id === 'ct-eks-pr-1')).toEqual([expect.objectContaining({ result: 'suppressed', reason: expect.stringContaining('office network') })]);
    expect(gates.filter((finding) => finding.id === 'ADR15-EP-1').map((finding) => finding.result)).toEqual(['pass']);
  });
});
