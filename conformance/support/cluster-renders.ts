/**
 * Each environment of the example platform.yaml rendered the way a cluster would see it: the
 * cluster layer's tree, and every Helm chart of it rendered by Helm from the reference chart
 * sources with the values the tree carries. `withMirror` renders the same platform with
 * `mirror.registry` set on every environment.
 */
import { parse, stringify } from 'yaml';
import type { ClusterComponent, HelmChart, KubernetesObject } from '../../src/cluster/component.js';
import type { ClusterTree } from '../../src/cluster/tree.js';
import { EXAMPLE, renderEnv } from '../../test/cluster/fixture.js';
import { MissingSubchartError, renderChart } from './charts.js';

export const MIRROR = '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/mirror';

export interface RenderedChart {
  readonly component: ClusterComponent;
  readonly chart: HelmChart;
  readonly objects: readonly KubernetesObject[];
  /** Subcharts the reference data lacks although the values enable them (rendered switched off). */
  readonly missingSubcharts: readonly string[];
}

export interface RenderedEnvironment {
  readonly name: string;
  readonly tree: ClusterTree;
  readonly objects: readonly KubernetesObject[];
  readonly charts: readonly RenderedChart[];
}

/** The example (or `text`) with `mirror: {registry}` on every environment. */
export function mirroredExample(registry: string = MIRROR, text: string = EXAMPLE): string {
  const document = parse(text) as { environments: Array<Record<string, unknown>> };
  document.environments.forEach((env) => (env.mirror = { registry }));
  return stringify(document);
}

/** Subcharts the reference lacks: render without them, and say so (the falcosidekick subchart of falco). */
const SWITCH_OFF: Record<string, Record<string, unknown>> = { falcosidekick: { falcosidekick: { enabled: false } } };

function renderWithFallback(chart: HelmChart, namespace: string): { objects: KubernetesObject[]; missingSubcharts: string[] } {
  try {
    return { objects: renderChart(chart, { namespace }), missingSubcharts: [] };
  } catch (error) {
    if (!(error instanceof MissingSubchartError)) throw error;
    const missing = Object.keys(SWITCH_OFF).filter((name) => error.subcharts.includes(name));
    if (missing.length === 0) throw error;
    const overrides = Object.assign({}, ...missing.map((name) => SWITCH_OFF[name]));
    return { objects: renderChart(chart, { namespace, overrides }), missingSubcharts: missing };
  }
}

const cache = new Map<string, RenderedEnvironment>();

export function renderedEnvironment(name: string, text: string = EXAMPLE): RenderedEnvironment {
  const key = JSON.stringify([name, text]);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const { tree, objects } = renderEnv(name, text);
  const charts = tree.components.flatMap((component) =>
    component.charts.map((chart) => ({ component, chart, ...renderWithFallback(chart, component.namespace?.name ?? 'default') })),
  );
  const rendered = { name, tree, objects, charts };
  cache.set(key, rendered);
  return rendered;
}

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
