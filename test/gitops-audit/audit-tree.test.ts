/**
 * `audit` on the GitOps folder `synth` writes: kustomize and Flux configuration are recognised and
 * skipped with a note, plain manifests are audited, chart releases are named as not rendered
 * without `--charts`; the folder never makes audit refuse its input (exit 2).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderClusterLayer, writeClusterTree } from '../../src/cluster/render.js';
import { classifyObjects } from '../../src/gitops-audit/index.js';
import { parseObjects } from '../../src/policy-engine/index.js';
import { loadExample, environment } from '../cluster/fixture.js';
import { runCli } from '../support/cli.js';

async function writtenTree(controller: 'flux' | 'argocd', env = 'dev'): Promise<string> {
  const platform = loadExample();
  const dir = mkdtempSync(join(tmpdir(), `gitops-audit-${controller}-`));
  const model = { ...platform, gitops: { ...platform.gitops, controller } };
  const envModel = environment(platform, env);
  const tree = renderClusterLayer({ platform: model, env: controller === 'argocd' ? { ...envModel, argoCd: envModel.argoCd ?? { repository: platform.gitops.repository!, destinationServer: 'https://kubernetes.default.svc' } } : envModel });
  await writeClusterTree(tree, dir);
  return dir;
}

describe('GIVEN the Flux tree synth writes for dev', () => {
  test('WHEN audited THEN exit 0, configuration skipped with notes, every HelmRelease named as not rendered', async () => {
    const dir = await writtenTree('flux');
    const run = await runCli(['audit', dir, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/note: skipped \d+ object\(s\): kustomize configuration/);
    expect(run.stderr).toMatch(/note: skipped \d+ object\(s\): Flux configuration/);
    for (const release of ['falco/falco', 'kyverno/kyverno', 'cert-manager/cert-manager', 'brupop-bottlerocket-aws/brupop-operator']) {
      expect(run.stderr).toContain(`HelmRelease ${release}`);
    }
    expect(run.stderr).toMatch(/pass --charts DIR/);
    // The collector DaemonSet is a plain manifest: audited, its own exception applies.
    const results = JSON.parse(run.stdout) as { results?: Array<{ resource: { name: string }; result: string }> } | Array<{ resource: { name: string }; result: string }>;
    const list = Array.isArray(results) ? results : (results.results ?? []);
    expect(list.filter((result) => result.resource.name === 'cis-collector').length).toBeGreaterThan(0);
  });

  test('WHEN --charts names a folder that does not exist THEN exit 2', async () => {
    const dir = await writtenTree('flux');
    const run = await runCli(['audit', dir, '--charts', join(dir, 'no-such-charts')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no such directory/);
  });

  test('WHEN --charts lacks a chart THEN the release is noted as not rendered, and the rest is audited', async () => {
    const dir = await writtenTree('flux');
    const charts = mkdtempSync(join(tmpdir(), 'charts-'));
    const run = await runCli(['audit', dir, '--charts', charts]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/HelmRelease falco\/falco not rendered: no falco\/ \(version 9\.1\.0\) or falco-9\.1\.0\.tgz/);
  });

  test('WHEN a chart folder holds another version THEN exit 2 naming both versions', async () => {
    const dir = await writtenTree('flux');
    const charts = mkdtempSync(join(tmpdir(), 'charts-'));
    mkdirSync(join(charts, 'falco'));
    writeFileSync(join(charts, 'falco', 'Chart.yaml'), 'apiVersion: v2\nname: falco\nversion: 9.0.0\n');
    const run = await runCli(['audit', dir, '--charts', charts]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/falco 9\.0\.0, the release asks for 9\.1\.0/);
  });
});

describe('GIVEN the Argo CD tree synth writes for dev', () => {
  test('WHEN audited THEN exit 0 and each Helm Application is a chart release', async () => {
    const dir = await writtenTree('argocd');
    const run = await runCli(['audit', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Application argocd/falco (chart falco 9.1.0) not rendered');
    expect(run.stderr).toMatch(/Argo CD Application syncing plain manifests/);
  });
});

describe('classifyObjects', () => {
  test('sorts configuration, releases and manifests, keeping release name, namespace, version and values', () => {
    const objects = parseObjects(
      'mixed.yaml',
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]',
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: r, namespace: x}\nspec: {url: https://example.com}',
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: rel, namespace: x}\nspec:\n  releaseName: other\n  targetNamespace: team-y\n  chart: {spec: {chart: c, version: 1.2.3, sourceRef: {kind: HelmRepository, name: r}}}\n  values: {a: 1}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c, image: i}]}',
      ].join('\n---\n'),
    );
    const { manifests, releases, skipped } = classifyObjects(objects);
    expect(manifests.map((object) => object.object.kind)).toEqual(['Pod']);
    expect(skipped.map((entry) => entry.object.object.kind)).toEqual(['Kustomization', 'HelmRepository']);
    expect(releases.map(({ release }) => release)).toEqual([{ releaseName: 'other', namespace: 'team-y', chart: 'c', version: '1.2.3', values: { a: 1n } }]);
  });
});
