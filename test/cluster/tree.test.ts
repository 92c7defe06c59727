import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { CHARTS } from '../../src/cluster/versions.js';
import { serializeClusterTree } from '../../src/cluster/render.js';
import { orderComponents } from '../../src/cluster/tree.js';
import { find, renderEnv } from './fixture.js';

const COMPONENTS = ['cert-manager', 'brupop', 'falco', 'kyverno', 'adr-policies', 'cis-collector', 'cluster-autoscaler'];

describe.each(['dev', 'staging', 'prod'])('the Flux tree of %s', (name) => {
  const { objects, tree } = renderEnv(name);

  test('has one Flux Kustomization per component, cert-manager before brupop and kyverno before adr-policies', () => {
    const kustomizations = objects.filter((object) => object.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && object.kind === 'Kustomization');
    expect(kustomizations.map((k) => k.metadata.name)).toEqual(COMPONENTS);
    const dependsOn = (componentName: string) => (find(kustomizations, 'Kustomization', componentName).spec as { dependsOn?: Array<{ name: string }> }).dependsOn;
    expect(dependsOn('brupop')).toEqual([{ name: 'cert-manager' }]);
    expect(dependsOn('adr-policies')).toEqual([{ name: 'kyverno' }]);
    expect(dependsOn('cert-manager')).toBeUndefined();
    for (const kustomization of kustomizations) {
      expect(kustomization.spec).toMatchObject({ wait: true, prune: true, path: `./clusters/${name}/cluster/${kustomization.metadata.name}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' } });
    }
  });

  test('every HelmRelease pins the chart version of versions.ts from a HelmRepository in its namespace', () => {
    const releases = objects.filter((object) => object.kind === 'HelmRelease');
    expect(releases.map((release) => release.apiVersion)).toEqual(releases.map(() => 'helm.toolkit.fluxcd.io/v2'));
    const pins = Object.values(CHARTS).map((pin) => `${pin.chart}@${pin.version}`).sort();
    const rendered = releases.map((release) => {
      const spec = (release.spec as { chart: { spec: { chart: string; version: string; sourceRef: { name: string } } } }).chart.spec;
      const repository = find(objects, 'HelmRepository', spec.sourceRef.name);
      expect(repository.metadata.namespace).toBe(release.metadata.namespace);
      expect(repository.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
      return `${spec.chart}@${spec.version}`;
    });
    expect(rendered.sort()).toEqual(pins);
  });

  test('the brupop operator release waits for its CRD release', () => {
    expect((find(objects, 'HelmRelease', 'brupop-operator').spec as { dependsOn?: unknown }).dependsOn).toEqual([{ name: 'brupop-crd' }]);
  });

  test('Namespaces carry Pod Security Admission labels at the cluster version', () => {
    const levels = Object.fromEntries(objects.filter((o) => o.kind === 'Namespace').map((ns) => [ns.metadata.name, (ns.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce']]));
    expect(levels).toEqual({ 'cert-manager': 'restricted', 'brupop-bottlerocket-aws': 'privileged', falco: 'privileged', kyverno: 'restricted', 'bottlerocket-cis': 'privileged', 'cluster-autoscaler': 'restricted' });
    expect(find(objects, 'Namespace', 'kyverno').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.33' });
  });

  test('every folder has a kustomization.yaml listing exactly the YAML files beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cluster-tree-'));
    try {
      for (const file of serializeClusterTree(tree)) {
        await mkdir(dirname(join(dir, file.path)), { recursive: true });
        await writeFile(join(dir, file.path), file.text);
      }
      const folders = ['', ...COMPONENTS];
      for (const folder of folders) {
        const files = (await readdir(join(dir, folder))).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').sort();
        const kustomization = parseAllDocuments(await readFile(join(dir, folder, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[] };
        expect([...kustomization.resources].sort()).toEqual(files);
      }
      const written = parseAllDocuments(await readFile(join(dir, 'falco', 'helm.yaml'), 'utf8')).map((document) => document.toJS() as { kind: string });
      expect(written.map((document) => document.kind)).toEqual(['HelmRepository', 'HelmRelease']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('component ordering', () => {
  const component = (name: string, dependsOn: string[] = []) => ({ name, dependsOn, charts: [], manifests: [] });

  test('dependencies come first whatever the given order', () => {
    expect(orderComponents([component('b', ['a']), component('a')]).map((c) => c.name)).toEqual(['a', 'b']);
  });

  test.each([
    [[component('a', ['missing'])], /unknown component "missing"/],
    [[component('a', ['b']), component('b', ['a'])], /cycle/],
  ])('a broken dependency graph is refused (%#)', (components, message) => {
    expect(() => orderComponents(components)).toThrow(message);
  });
});
