/**
 * Render the pinned charts from their sources in `../shared/reference/charts/` with Helm, as the
 * GitOps controller would: `helm template <release> <chart> -n <namespace> -f <our values>`, with
 * the chart preparation `audit --charts` uses (src/gitops-audit): a dependency missing from the
 * reference data is dropped when the values disable it and refused when they enable it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { HelmChart, KubernetesObject } from '../../src/cluster/component.js';
import { toYaml } from '../../src/common/yaml-writer.js';
import { findChart, isChartTest, renderableChart } from '../../src/gitops-audit/index.js';
import { referencePath } from './reference.js';
import { helmBinary, runTool } from './tools.js';

export { MissingSubchartError } from '../../src/gitops-audit/index.js';

export interface RenderOptions {
  readonly namespace: string;
  readonly kubeVersion?: string;
  /** Values to merge over the chart's (e.g. to switch off a subchart the reference lacks). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

function merge(base: unknown, over: unknown): unknown {
  if (base === null || typeof base !== 'object' || Array.isArray(base) || over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) result[key] = key in result ? merge(result[key], value) : value;
  return result;
}

/** Every object `helm template` renders for the chart with its generated values: hooks included, chart tests left out. */
export function renderChart(chart: HelmChart, { namespace, kubeVersion = '1.33', overrides = {} }: RenderOptions): KubernetesObject[] {
  const values = merge(chart.values, overrides) as Record<string, unknown>;
  const release = { releaseName: chart.releaseName, namespace, chart: chart.chart, version: chart.version, values };
  const source = findChart(referencePath('charts'), release);
  if (source === undefined) throw new Error(`the reference data has no source for chart ${chart.chart} ${chart.version}`);
  const folder = renderableChart(source, release);
  const dir = mkdtempSync(join(tmpdir(), 'values-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    writeFileSync(valuesFile, toYaml(values));
    const { stdout } = runTool(helmBinary(), ['template', chart.releaseName, folder.path, '--namespace', namespace, '--kube-version', kubeVersion, '--values', valuesFile]);
    return parseAllDocuments(stdout)
      .map((document) => document.toJS() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null && typeof object === 'object' && typeof object.kind === 'string')
      .filter((object) => !isChartTest(object));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    folder.cleanup();
  }
}

/** The pod spec of a workload object (Pod, controllers, CronJob), or undefined. */
export function podSpecOf(object: KubernetesObject): Record<string, unknown> | undefined {
  const spec = object.spec as Record<string, any> | undefined;
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}

/** Images of every container (init, regular, ephemeral) of every workload, with where they are. */
export function renderedImages(objects: readonly KubernetesObject[]): Array<{ image: string; where: string }> {
  return objects.flatMap((object) => {
    const spec = podSpecOf(object);
    if (spec === undefined) return [];
    const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((field) => ((spec[field] ?? []) as Array<{ name: string; image: string }>).map((c) => ({ ...c, field })));
    return containers.map((container) => ({ image: container.image, where: `${object.kind}/${object.metadata.name} ${container.field}/${container.name}` }));
  });
}
