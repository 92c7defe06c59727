/**
 * `bottlerocket-eks audit dist/<env>/cluster --charts DIR`: the GitOps folder synth writes, with its
 * HelmReleases rendered by Helm from the pinned chart sources, is audited offline; chart workloads
 * appear in the results and nothing fails.
 */
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeClusterTree } from '../../src/cluster/render.js';
import { runCli } from '../../test/support/cli.js';
import { ENVIRONMENTS, renderedEnvironment } from '../support/cluster-renders.js';
import { referencePath } from '../support/reference.js';
import { helmBinary } from '../support/tools.js';

/** The reference chart sources; a chart whose enabled subchart the reference lacks is left out (audit notes it). */
function chartsDir(): { dir: string; leftOut: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'audit-charts-'));
  const source = referencePath('charts');
  const leftOut = existsSync(join(source, 'falco', 'charts', 'falcosidekick')) ? [] : ['falco'];
  for (const name of readdirSync(source).filter((entry) => !leftOut.includes(entry))) symlinkSync(join(source, name), join(dir, name));
  return { dir, leftOut };
}

describe.each(ENVIRONMENTS)('GIVEN the Flux tree of %s written as synth writes it', (name) => {
  test('WHEN audited with --charts THEN every chart release is rendered, chart workloads are audited and nothing fails', async () => {
    const out = mkdtempSync(join(tmpdir(), `audit-tree-${name}-`));
    await writeClusterTree(renderedEnvironment(name).tree, out);
    const { dir, leftOut } = chartsDir();
    const run = await runCli(['audit', out, '--charts', dir, '--helm', helmBinary(), '--format', 'json']);
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    for (const release of ['kyverno/kyverno', 'cert-manager/cert-manager', 'brupop-bottlerocket-aws/brupop-operator']) expect(run.stderr).toContain(`rendered HelmRelease ${release}`);
    for (const chart of leftOut) expect(run.stderr).toMatch(new RegExp(`HelmRelease ${chart}/${chart} not rendered`));
    const text = run.stdout;
    for (const workload of ['kyverno-admission-controller', 'cert-manager-webhook', 'brupop-agent', 'cis-collector']) expect(text).toContain(`"name": "${workload}"`);
  });
});
