/**
 * Render one environment's cluster layer in the format `gitops.controller` selects, and write it
 * as YAML files. Rendering is pure; writing is the only side effect.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Document } from 'yaml';
import { renderArgoCd } from './argocd.js';
import type { ClusterComponent, ComponentFactory, RenderContext } from './component.js';
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
  const components = orderComponents(factories.map((factory) => withChartMirror(factory(context), context.env.mirror?.charts)));
  const controller = context.platform.gitops.controller;
  const files = controller === 'argocd' ? renderArgoCd(context, components) : renderFlux(context, components);
  const mirror = context.env.mirror?.registry;
  return { controller, components, files, ...(mirror === undefined ? {} : { mirror }) };
}

/** Texts already serialized: the gates read the policy files and the writer writes every file, so each is serialized once. */
const serialized = new WeakMap<ClusterFile, string>();

/** One YAML stream per file, one document per object. */
export function serializeClusterFile(file: ClusterFile): string {
  let text = serialized.get(file);
  if (text === undefined) {
    const documents = 'objects' in file ? file.objects : [file.kustomize];
    text = documents.map((document) => new Document(document).toString({ lineWidth: 0 })).join('---\n');
    serialized.set(file, text);
  }
  return text;
}

/** Write the tree under `clusterDir` (the environment's `cluster/` folder, inside a staging folder). */
export async function writeClusterTree(tree: ClusterTree, clusterDir: string): Promise<void> {
  for (const file of tree.files) {
    const path = join(clusterDir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, serializeClusterFile(file));
  }
}
