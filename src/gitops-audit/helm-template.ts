/**
 * `helm template` of a chart release from a local chart source, as the GitOps controller would
 * install it: release name, namespace, values. Hooks are kept (the controllers run them); chart test
 * pods (`helm.sh/hook: test*`) are dropped, since neither Flux nor Argo CD runs them by default.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserInputError } from '../common/errors.js';
import { decodeYamlDocument, decodeYamlStream, splitYamlDocuments } from '../common/kubernetes-yaml.js';
import { toYaml } from '../common/yaml-writer.js';

const run = promisify(execFile);

/** A chart release: what a HelmRelease or a Helm Application asks for. */
export interface ChartRelease {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
}

interface Dependency {
  readonly name: string;
  readonly condition?: string;
}

/** A dependency the values enable but the chart folder lacks. */
export class MissingSubchartError extends UserInputError {
  constructor(
    readonly chart: string,
    readonly subcharts: readonly string[],
    folder: string,
  ) {
    super(`${folder}/charts/ lacks ${subcharts.join(', ')}, which the release's values enable; Helm cannot render ${chart} without it (run \`helm dependency build\` there)`);
  }
}

/** A chart's YAML file (Chart.yaml, values.yaml) as Helm reads it: sigs.k8s.io/yaml, go-yaml v2. */
function readChartYaml(path: string): unknown {
  return decodeYamlStream(path, readFileSync(path, 'utf8'))[0]?.value;
}

function valueAt(values: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), values);
}

/** Off when every condition path resolves to false (our values first, then the chart's defaults). */
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
    const directory = statSync(path).isDirectory();
    chmodSync(path, directory ? 0o755 : 0o644);
    if (directory) makeWritable(path);
  }
}

/**
 * The chart source for `release` under `chartsDir`: `<chart>/` at the release's version, or
 * `<chart>-<version>.tgz`; undefined when there is neither. A folder at another version is refused.
 */
export function findChart(chartsDir: string, release: Pick<ChartRelease, 'chart' | 'version'>): string | undefined {
  const folder = join(chartsDir, release.chart);
  if (existsSync(join(folder, 'Chart.yaml'))) {
    const version = (readChartYaml(join(folder, 'Chart.yaml')) as { version?: unknown } | undefined)?.version;
    if (version !== release.version) throw new UserInputError(`${folder} holds ${release.chart} ${String(version)}, the release asks for ${release.version}`);
    return folder;
  }
  for (const name of [`${release.chart}-${release.version}.tgz`, `${release.chart}-v${release.version.replace(/^v/, '')}.tgz`]) {
    if (existsSync(join(chartsDir, name))) return join(chartsDir, name);
  }
  return undefined;
}

/** A folder Helm can render: the source itself, or a copy without the absent dependencies the values disable. */
export function renderableChart(source: string, release: ChartRelease): { path: string; cleanup: () => void } {
  const none = { path: source, cleanup: () => undefined };
  if (source.endsWith('.tgz')) return none;
  const metadata = (readChartYaml(join(source, 'Chart.yaml')) ?? {}) as { dependencies?: Dependency[] };
  const dependencies = metadata.dependencies ?? [];
  const missing = dependencies.filter((dependency) => !existsSync(join(source, 'charts', dependency.name)));
  if (missing.length === 0) return none;
  const defaults = existsSync(join(source, 'values.yaml')) ? readChartYaml(join(source, 'values.yaml')) : {};
  const needed = missing.filter((dependency) => enabled(dependency, release.values, defaults));
  if (needed.length > 0) throw new MissingSubchartError(release.chart, needed.map((dependency) => dependency.name), source);
  const dir = mkdtempSync(join(tmpdir(), `chart-${release.chart}-`));
  const copy = join(dir, release.chart);
  cpSync(source, copy, { recursive: true });
  makeWritable(copy);
  writeFileSync(join(copy, 'Chart.yaml'), toYaml({ ...metadata, dependencies: dependencies.filter((dependency) => !missing.includes(dependency)) }));
  rmSync(join(copy, 'Chart.lock'), { force: true });
  return { path: copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface HelmTemplateOptions {
  /** Helm binary. @default `helm` on PATH */
  readonly helm?: string;
  /** @default 1.33 */
  readonly kubeVersion?: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

/** Chart test pods, which GitOps controllers do not run. */
export function isChartTest(document: unknown): boolean {
  const hook = (document as { metadata?: { annotations?: Record<string, string> } } | null)?.metadata?.annotations?.['helm.sh/hook'] ?? '';
  return hook.split(',').some((phase) => phase.trim().startsWith('test'));
}

/** The manifest stream `helm template` prints for the release (chart tests removed). */
export async function helmTemplate(chartSource: string, release: ChartRelease, options: HelmTemplateOptions = {}): Promise<string> {
  const chart = renderableChart(chartSource, release);
  const dir = mkdtempSync(join(tmpdir(), 'release-values-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    writeFileSync(valuesFile, toYaml(release.values));
    const args = ['template', release.releaseName, chart.path, '--namespace', release.namespace, '--kube-version', options.kubeVersion ?? '1.33', '--values', valuesFile];
    let stdout: string;
    try {
      ({ stdout } = await run(options.helm ?? 'helm', args, { maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }));
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') throw new UserInputError(`cannot run Helm (${options.helm ?? 'helm'}): not found; pass --helm <path>`);
      throw new UserInputError(`helm template ${release.chart} ${release.version} failed: ${(failure.stderr ?? failure.message).trim()}`);
    }
    return [...splitYamlDocuments(stdout)]
      .filter((document) => !isChartTest(decodeYamlDocument(`helm template ${release.chart}`, document)))
      .map((document) => document.text.replace(/^---[^\n]*\n/, ''))
      .join('---\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    chart.cleanup();
  }
}
