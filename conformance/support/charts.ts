/**
 * Render the pinned charts from their sources in `../shared/reference/charts/` with Helm, as the
 * GitOps controller would: `helm template <release> <chart> -n <namespace> -f <our values>`.
 *
 * A chart's dependencies must be in its `charts/` folder for Helm to render it. A dependency that
 * is missing from the reference data and disabled by the values (its `condition` is false) renders
 * nothing, so it is dropped from a temporary copy of the chart; a missing dependency the values
 * enable is a hole in the reference data, and `renderChart` says so instead of rendering without it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { HelmChart, KubernetesObject } from '../../src/cluster/component.js';
import { REFERENCE_DIR, referencePath } from './reference.js';
import { helmBinary, runTool } from './tools.js';

/** Chart sources in the reference data, by chart name. */
const SOURCES: Record<string, string> = {
  falco: 'falco',
  kyverno: 'kyverno',
  'bottlerocket-shadow': 'bottlerocket-shadow',
  'bottlerocket-update-operator': 'bottlerocket-update-operator',
  'cluster-autoscaler': 'cluster-autoscaler',
};

interface Dependency {
  readonly name: string;
  readonly condition?: string;
}

function valueAt(values: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), values);
}

/** A dependency is off when its condition resolves to false in our values, else in the chart's defaults. */
function enabled(dependency: Dependency, values: unknown, defaults: unknown): boolean {
  if (dependency.condition === undefined) return true;
  return dependency.condition.split(',').some((path) => {
    const ours = valueAt(values, path.trim());
    return (ours === undefined ? valueAt(defaults, path.trim()) : ours) !== false;
  });
}

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    if (statSync(path).isDirectory()) makeWritable(path);
  }
}

export class MissingSubchartError extends Error {}

/** A renderable chart folder for `chart` with `values`; the caller removes `cleanup` when done. */
function chartFolder(chart: HelmChart, values: unknown): { path: string; cleanup: () => void } {
  if (chart.chart === 'cert-manager') return { path: referencePath('charts', `cert-manager-${chart.version}.tgz`), cleanup: () => undefined };
  const source = SOURCES[chart.chart];
  if (source === undefined) throw new Error(`no reference source for chart ${chart.chart}`);
  const sourceDir = referencePath('charts', source);
  const metadata = parse(readFileSync(join(sourceDir, 'Chart.yaml'), 'utf8')) as { version: string; dependencies?: Dependency[] };
  if (metadata.version !== chart.version) throw new Error(`reference chart ${chart.chart} is ${metadata.version}, the project pins ${chart.version}`);
  const dependencies = metadata.dependencies ?? [];
  const missing = dependencies.filter((dependency) => !existsSync(join(sourceDir, 'charts', dependency.name)));
  if (missing.length === 0) return { path: sourceDir, cleanup: () => undefined };
  const defaults = parse(readFileSync(join(sourceDir, 'values.yaml'), 'utf8')) as unknown;
  const needed = missing.filter((dependency) => enabled(dependency, values, defaults));
  if (needed.length > 0) {
    throw new MissingSubchartError(
      `${REFERENCE_DIR}charts/${source}/charts/ lacks ${needed.map((d) => d.name).join(', ')}, which our values enable; Helm cannot render ${chart.chart} ${chart.version} without it`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), `chart-${chart.chart}-`));
  const copy = join(dir, chart.chart);
  cpSync(sourceDir, copy, { recursive: true });
  makeWritable(copy);
  // Disabled and absent: Helm would render nothing for them; drop them so the dependency check passes.
  const kept = dependencies.filter((dependency) => !missing.includes(dependency));
  writeFileSync(join(copy, 'Chart.yaml'), stringify({ ...metadata, dependencies: kept }));
  rmSync(join(copy, 'Chart.lock'), { force: true });
  return { path: copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

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

/** Chart test pods (`helm.sh/hook: test*`): Flux (`test.enable` off by default) and Argo CD never run them. */
function isTestHook(object: KubernetesObject): boolean {
  const hook = (object.metadata.annotations as Record<string, string> | undefined)?.['helm.sh/hook'] ?? '';
  return hook.split(',').some((phase) => phase.trim().startsWith('test'));
}

/** Every object `helm template` renders for the chart with its generated values: hooks included, chart tests left out. */
export function renderChart(chart: HelmChart, { namespace, kubeVersion = '1.33', overrides = {} }: RenderOptions): KubernetesObject[] {
  const values = merge(chart.values, overrides);
  const folder = chartFolder(chart, values);
  const dir = mkdtempSync(join(tmpdir(), 'values-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    writeFileSync(valuesFile, stringify(values));
    const { stdout } = runTool(helmBinary(), ['template', chart.releaseName, folder.path, '--namespace', namespace, '--kube-version', kubeVersion, '--values', valuesFile]);
    return parseAllDocuments(stdout)
      .map((document) => document.toJS() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null && typeof object === 'object' && typeof object.kind === 'string')
      .filter((object) => !isTestHook(object));
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
