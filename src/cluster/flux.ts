/**
 * The Flux format: per component a folder with its Namespace, HelmRepository, HelmRelease and
 * plain manifests; at the top one Flux Kustomization per component whose `dependsOn` orders the
 * components, with `wait` so a dependant starts only once its dependencies are Ready.
 *
 * Layout (paths relative to `dist/<env>/cluster/`, committed as `<repo path>/<env>/cluster/`):
 *   kustomization.yaml, flux-kustomizations.yaml, <component>/{kustomization,namespace,helm,manifests}.yaml
 */
import type { ClusterComponent, HelmChart, KubernetesObject, RenderContext } from './component.js';
import { folderFiles, namespaceObject, repositoryClusterPath, type ClusterFile } from './tree.js';
import { typed } from './typed-objects.js';

/** Names `flux bootstrap` gives the namespace and the GitRepository of the cluster's repository. */
export const FLUX_SYSTEM = 'flux-system';

function helmObjects(component: ClusterComponent): KubernetesObject[] {
  if (component.charts.length === 0) return [];
  const namespace = component.namespace?.name;
  if (namespace === undefined) throw new Error(`cluster component "${component.name}" installs charts but has no namespace`);
  const repositories = new Map(component.charts.map((chart) => [chart.repository.name, chart.repository]));
  return [
    ...[...repositories.values()].map((repository) =>
      typed.helmRepository({
        metadata: { name: repository.name, namespace },
        spec: { url: repository.url, interval: '12h', ...(repository.type === 'oci' ? { type: 'oci' as const } : {}) },
      }),
    ),
    ...component.charts.map((chart, index) => helmRelease(chart, namespace, component.charts[index - 1])),
  ];
}

function helmRelease(chart: HelmChart, namespace: string, previous: HelmChart | undefined): KubernetesObject {
  return typed.helmRelease({
    metadata: { name: chart.releaseName, namespace },
    spec: {
      releaseName: chart.releaseName,
      interval: '30m',
      chart: { spec: { chart: chart.chart, version: chart.version, sourceRef: { kind: 'HelmRepository', name: chart.repository.name }, interval: '12h' } },
      // Charts that manage CRDs get them created and upgraded with the release.
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
      values: { ...chart.values },
      // Charts of one component install in the listed order (the brupop CRD chart before its operator).
      ...(previous === undefined ? {} : { dependsOn: [{ name: previous.releaseName }] }),
    },
  });
}

function fluxKustomization(component: ClusterComponent, path: string): KubernetesObject {
  return typed.fluxKustomization({
    metadata: { name: component.name, namespace: FLUX_SYSTEM },
    spec: {
      interval: '10m',
      retryInterval: '1m',
      timeout: '10m',
      path: `./${path}/${component.name}`,
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: FLUX_SYSTEM },
      ...(component.dependsOn.length === 0 ? {} : { dependsOn: component.dependsOn.map((name) => ({ name })) }),
    },
  });
}

export function renderFlux({ platform, env }: RenderContext, components: readonly ClusterComponent[]): ClusterFile[] {
  const path = repositoryClusterPath(platform, env);
  return [
    ...folderFiles('', [['flux-kustomizations.yaml', components.map((component) => fluxKustomization(component, path))]]),
    ...components.flatMap((component) =>
      folderFiles(component.name, [
        ['namespace.yaml', component.namespace === undefined ? [] : [namespaceObject(component.namespace, env)]],
        ['helm.yaml', helmObjects(component)],
        ['manifests.yaml', component.manifests],
      ]),
    ),
  ];
}
