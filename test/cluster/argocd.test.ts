import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { SYNC_WAVE } from '../../src/cluster/argocd.js';
import { chartPinFindings } from '../../src/gates/rules/cluster.js';
import { renderClusterLayer } from '../../src/cluster/render.js';
import { treeObjects } from '../../src/cluster/tree.js';
import { UserInputError } from '../../src/common/errors.js';
import { EXAMPLE, environment, loadExample } from './fixture.js';

const ARGOCD = EXAMPLE.replace('  controller: flux\n', '  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef\n');

function render(text: string, env = 'prod') {
  const platform = loadExample(text);
  const tree = renderClusterLayer({ platform, env: environment(platform, env) });
  return { tree, objects: treeObjects(tree) };
}

const wave = (app: KubernetesObject) => Number((app.metadata.annotations as Record<string, string>)[SYNC_WAVE]);

describe('GIVEN gitops.controller argocd', () => {
  const { tree, objects } = render(ARGOCD);
  const apps = objects.filter((object) => object.kind === 'Application');
  const app = (name: string) => apps.find((candidate) => candidate.metadata.name === name)!;

  test('THEN the tree holds Argo CD Applications and no Flux objects', () => {
    expect(tree.controller).toBe('argocd');
    expect(objects.some((object) => object.apiVersion.includes('fluxcd.io'))).toBe(false);
    expect(apps.map((a) => a.metadata.name)).toEqual(['cert-manager-manifests', 'cert-manager', 'brupop-manifests', 'brupop-crd', 'brupop-operator', 'falco-manifests', 'falco', 'kyverno-manifests', 'kyverno', 'adr-policies-manifests', 'cis-collector-manifests', 'cluster-autoscaler-manifests', 'cluster-autoscaler']);
    expect(apps.every((a) => a.apiVersion === 'argoproj.io/v1alpha1' && a.metadata.namespace === 'argocd')).toBe(true);
  });

  test('THEN each chart is a Helm source with its pinned version and the same values as the Flux HelmRelease', () => {
    const flux = treeObjects(renderClusterLayer({ platform: loadExample(), env: environment(loadExample(), 'prod') }));
    for (const release of flux.filter((object) => object.kind === 'HelmRelease')) {
      const fluxSpec = release.spec as { chart: { spec: { chart: string; version: string } }; values: unknown };
      const source = (app(release.metadata.name).spec as { source: Record<string, any> }).source;
      expect(source).toMatchObject({ chart: fluxSpec.chart.spec.chart, targetRevision: fluxSpec.chart.spec.version, helm: { releaseName: release.metadata.name } });
      expect(source.helm.valuesObject).toEqual(fluxSpec.values);
      expect((app(release.metadata.name).spec as { destination: { namespace: string } }).destination.namespace).toBe(release.metadata.namespace);
    }
  });

  test('THEN the chart-pin gate reads the Helm Applications', () => {
    expect(chartPinFindings(objects).map((f) => [f.resource, f.result])).toEqual(
      ['cert-manager', 'brupop-crd', 'brupop-operator', 'falco', 'kyverno', 'cluster-autoscaler'].map((name) => [`Application/argocd/${name}`, 'pass']),
    );
    const loose = { ...app('falco'), spec: { ...(app('falco').spec as object), source: { repoURL: 'https://x', chart: 'falco', targetRevision: '9.*' } } };
    expect(chartPinFindings([loose]).map((f) => f.result)).toEqual(['fail']);
  });

  test('THEN sync waves order cert-manager before brupop, the brupop CRD chart before its operator, and kyverno before the policies', () => {
    expect(wave(app('cert-manager'))).toBeLessThan(wave(app('brupop-manifests')));
    expect(wave(app('brupop-manifests'))).toBeLessThan(wave(app('brupop-crd')));
    expect(wave(app('brupop-crd'))).toBeLessThan(wave(app('brupop-operator')));
    expect(wave(app('kyverno'))).toBeLessThan(wave(app('adr-policies-manifests')));
    // A component's Namespace (with its plain manifests) comes before its charts.
    expect(wave(app('falco-manifests'))).toBeLessThan(wave(app('falco')));
  });

  test('THEN plain manifests come from the GitOps repository folder of the component', () => {
    expect((app('adr-policies-manifests').spec as { source: unknown }).source).toEqual({
      repoURL: 'https://git.example.gov/platform/clusters.git',
      targetRevision: 'main',
      path: 'clusters/prod/cluster/adr-policies',
    });
    expect(tree.files.map((file) => file.path)).toEqual(expect.arrayContaining(['applications.yaml', 'kustomization.yaml', 'adr-policies/manifests.yaml', 'falco/namespace.yaml']));
  });

  test('THEN with the EKS Argo CD capability every Application targets the cluster by ARN, in its partition', () => {
    const servers = new Set(apps.map((a) => (a.spec as { destination: { server: string } }).destination.server));
    expect([...servers]).toEqual(['arn:aws-us-gov:eks:us-gov-west-1:333333333333:cluster/fedplat-prod']);
  });

  test('THEN a self-managed Argo CD deploys in-cluster', () => {
    const selfManaged = render(ARGOCD.replace('  managedArgoCd: true\n', '')).objects.filter((o) => o.kind === 'Application');
    expect(new Set(selfManaged.map((a) => (a.spec as { destination: { server: string } }).destination.server))).toEqual(new Set(['https://kubernetes.default.svc']));
  });

  test('WHEN gitops.repository is missing THEN the render is refused naming the field', () => {
    const withoutRepository = ARGOCD.replace(/  repository:\n    url: .*\n    branch: main\n    path: clusters\n/, '');
    expect(withoutRepository).not.toContain('git.example.gov');
    expect(() => render(withoutRepository)).toThrow(UserInputError);
    expect(() => render(withoutRepository)).toThrow(/gitops\.repository/);
  });
});
