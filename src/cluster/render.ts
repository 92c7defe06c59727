/**
 * The cluster renderer: one environment's cluster layer, from the model, in the format
 * `gitops.controller` selects, as objects in memory (`renderClusterLayer`) and as YAML texts
 * (`serializeClusterTree`). Pure: no checks (the resolve pass made them), no gates, no files.
 */
import { toYamlStream } from '../common/yaml-writer.js';
import { renderArgoCd } from './argocd.js';
import { installedComponents, type ClusterComponent, type ComponentFactory, type RenderContext } from './component.js';
import { CLUSTER_COMPONENTS } from './components/index.js';
import { renderFlux } from './flux.js';
import { orderComponents, type ClusterFile, type ClusterTree } from './tree.js';

/** Name of the OCI HelmRepository (Flux) all charts come from when `mirror.charts` is set. */
export const CHART_MIRROR = 'chart-mirror';

/** With `mirror.charts`, every chart comes from that OCI registry (`<charts>/<chart>:<version>`) instead of its public repository. */
function withChartMirror(component: ClusterComponent, charts: string | undefined): ClusterComponent {
  if (charts === undefined) return component;
  return { ...component, charts: component.charts.map((chart) => ({ ...chart, repository: { name: CHART_MIRROR, url: charts, type: 'oci' as const } })) };
}

export function renderClusterLayer(context: RenderContext, factories: readonly ComponentFactory[] = CLUSTER_COMPONENTS): ClusterTree {
  const components = orderComponents(installedComponents(factories, context).map((component) => withChartMirror(component, context.env.mirror?.charts)));
  const controller = context.platform.gitops.controller;
  const files = controller === 'argocd' ? renderArgoCd(context, components) : renderFlux(context, components);
  const mirror = context.env.mirror?.registry;
  return { controller, components, files, ...(mirror === undefined ? {} : { mirror }) };
}

/** One YAML stream per file, one document per object. */
export function serializeClusterFile(file: ClusterFile): string {
  const documents = 'objects' in file ? file.objects : [file.kustomize];
  return toYamlStream(documents);
}

/** A rendered file as text, its path relative to the environment's `cluster/` folder. */
export interface ClusterFileText {
  readonly path: string;
  readonly text: string;
}

export function serializeClusterTree(tree: Pick<ClusterTree, 'files'>): ClusterFileText[] {
  return tree.files.map((file) => ({ path: file.path, text: serializeClusterFile(file) }));
}
