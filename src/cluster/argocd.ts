/**
 * The Argo CD format: one Application per Helm chart (Helm source, pinned chart version, values
 * inline) and one per component (`<component>-manifests`) for its Namespace and plain manifests, sourced from the GitOps
 * repository. `argocd.argoproj.io/sync-wave` annotations give the same order as Flux's
 * `dependsOn`: a component's manifests (its Namespace first), then its charts in order, and its
 * dependants only after all of that.
 */
import type { ClusterComponent, HelmChart, KubernetesObject, RenderContext } from './component.js';
import { folderFiles, namespaceObject, repositoryClusterPath, type ClusterFile } from './tree.js';
import { typed } from './typed-objects.js';

export const ARGOCD_NAMESPACE = 'argocd';
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

const syncPolicy = {
  automated: { prune: true, selfHeal: true },
  // Server-side apply: the cert-manager and Kyverno CRDs exceed the client-side annotation limit.
  syncOptions: ['ServerSideApply=true'],
  retry: { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } },
};

function application(server: string, name: string, wave: number, namespace: string | undefined, source: Record<string, unknown>): KubernetesObject {
  return typed.argoApplication({
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      annotations: { [SYNC_WAVE]: String(wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      destination: { server, ...(namespace === undefined ? {} : { namespace }) },
      source: source as { repoURL: string },
      syncPolicy,
    },
  });
}

function helmSource(chart: HelmChart): Record<string, unknown> {
  return {
    // Argo CD names a Helm OCI registry without the scheme (its repository Secret sets enableOCI).
    repoURL: chart.repository.type === 'oci' ? chart.repository.url.replace(/^oci:\/\//, '') : chart.repository.url,
    chart: chart.chart,
    targetRevision: chart.version,
    helm: { releaseName: chart.releaseName, valuesObject: { ...chart.values } },
  };
}

/** Charts' Applications take the release name; this one must not collide with them. */
function plainApplicationName(component: ClusterComponent): string {
  return `${component.name}-manifests`;
}

function hasPlainManifests(component: ClusterComponent): boolean {
  return component.namespace !== undefined || component.manifests.length > 0;
}

/** Applications of every component, each with its sync wave. */
function applications(context: RenderContext, components: readonly ClusterComponent[]): KubernetesObject[] {
  const argoCd = context.env.argoCd;
  // The resolve pass refuses `argocd` without a repository, so this only guards direct callers.
  if (argoCd === undefined) throw new Error(`environment ${context.env.name} has no Argo CD settings in the model`);
  const { repository, destinationServer: server } = argoCd;
  const path = repositoryClusterPath(context.platform, context.env);
  const lastWave = new Map<string, number>();
  return components.flatMap((component) => {
    const first = Math.max(-1, ...component.dependsOn.map((name) => lastWave.get(name) ?? -1)) + 1;
    const plain = hasPlainManifests(component)
      ? [application(server, plainApplicationName(component), first, component.namespace?.name, { repoURL: repository.url, targetRevision: repository.branch, path: `${path}/${component.name}` })]
      : [];
    const chartWave = first + plain.length;
    const charts = component.charts.map((chart, index) => application(server, chart.releaseName, chartWave + index, component.namespace?.name, helmSource(chart)));
    // Waves of a component are consecutive from `first`; a component with no Application adds none.
    lastWave.set(component.name, first + plain.length + charts.length - 1);
    return [...plain, ...charts];
  });
}

export function renderArgoCd(context: RenderContext, components: readonly ClusterComponent[]): ClusterFile[] {
  const names = components.flatMap((component) => [...(hasPlainManifests(component) ? [plainApplicationName(component)] : []), ...component.charts.map((chart) => chart.releaseName)]);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`two Argo CD Applications would be named "${duplicate}"`);
  return [
    ...folderFiles('', [['applications.yaml', applications(context, components)]]),
    ...components
      .filter(hasPlainManifests)
      .flatMap((component) =>
        folderFiles(component.name, [
          ['namespace.yaml', component.namespace === undefined ? [] : [namespaceObject(component.namespace, context.env)]],
          ['manifests.yaml', component.manifests],
        ]),
      ),
  ];
}
