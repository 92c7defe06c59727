/**
 * The objects `audit` evaluates from a GitOps folder: plain manifests as they are, chart releases
 * rendered from local chart sources (`--charts`), configuration skipped; every skip and every
 * release left unrendered becomes a note, so nothing drops out of the audit silently.
 */
import { existsSync } from 'node:fs';
import { UserInputError } from '../common/errors.js';
import type { SkippedFile } from '../common/input-files.js';
import { isNamespace, parseObjects, streamObjects, type KubeObject, type PolicyEngine, type PolicyResult, type SourceObject } from '../policy-engine/index.js';
import { classifyObjects, type ReleaseObject } from './classify.js';
import { findChart, helmTemplate, type HelmTemplateOptions } from './helm-template.js';

export { classifyObjects } from './classify.js';
export { findChart, helmTemplate, isChartTest, MissingSubchartError, renderableChart, type ChartRelease } from './helm-template.js';

export interface GitopsAuditOptions extends HelmTemplateOptions {
  /** Folder of chart sources to render releases from. @default releases are not rendered */
  readonly chartsDir?: string;
}

export interface GitopsObjects {
  readonly objects: readonly SourceObject[];
  readonly notes: readonly string[];
}

const where = (object: SourceObject) => `${object.file}:${object.line}`;
const named = (object: SourceObject) => `${String(object.object.kind)} ${String((object.object.metadata as { namespace?: string } | undefined)?.namespace ?? '')}/${String((object.object.metadata as { name?: string } | undefined)?.name ?? '')}`;

/**
 * Sorts the objects of a GitOps folder as they are read, batch by batch, so an audit can stream
 * its input: `add` returns the manifests to audit at once; chart releases (few) are kept and
 * rendered by `finish`, which also gives the notes on everything skipped or left unrendered.
 */
export class GitopsCollector {
  private readonly skippedCounts = new Map<string, number>();
  private readonly releases: ReleaseObject[] = [];

  /** With `chartsDir`, a folder that does not exist is a usage error, not a quiet "nothing rendered". */
  constructor(private readonly options: GitopsAuditOptions = {}) {
    if (options.chartsDir !== undefined && !existsSync(options.chartsDir)) throw new UserInputError(`--charts ${options.chartsDir}: no such directory`);
  }

  /** The manifests of `objects`, to audit as they are. */
  add(objects: readonly SourceObject[]): readonly SourceObject[] {
    const { manifests, releases, skipped } = classifyObjects(objects);
    for (const { reason } of skipped) this.skippedCounts.set(reason, (this.skippedCounts.get(reason) ?? 0) + 1);
    this.releases.push(...releases);
    return manifests;
  }

  /** The objects rendered from the releases seen, and the notes. */
  async finish(): Promise<GitopsObjects> {
    const { options } = this;
    const notes = [...this.skippedCounts].map(([reason, count]) => `skipped ${count} object(s): ${reason}`);
    const rendered: SourceObject[] = [];
    for (const { object, release } of this.releases) {
      if (options.chartsDir === undefined) {
        notes.push(`${where(object)}: ${named(object)} (chart ${release.chart} ${release.version}) not rendered; pass --charts DIR to audit its workloads`);
        continue;
      }
      const chart = findChart(options.chartsDir, release);
      if (chart === undefined) {
        notes.push(`${where(object)}: ${named(object)} not rendered: no ${release.chart}/ (version ${release.version}) or ${release.chart}-${release.version}.tgz in ${options.chartsDir}`);
        continue;
      }
      const stream = await helmTemplate(chart, release, options);
      const objectsOfRelease = parseObjects(`${object.file} (${named(object)}, chart ${release.chart} ${release.version})`, stream);
      notes.push(`${where(object)}: rendered ${named(object)} (chart ${release.chart} ${release.version}): ${objectsOfRelease.length} objects`);
      rendered.push(...objectsOfRelease);
    }
    return { objects: rendered, notes };
  }
}

export interface AuditInputOptions extends GitopsAuditOptions {
  /** Reads stdin, for the path `-`; called at most once. */
  readonly readStdin?: () => Promise<string>;
  /** Files a folder holds that are not manifests. */
  readonly onSkipped?: (file: SkippedFile) => void;
}

export interface AuditedInputs {
  readonly results: PolicyResult[];
  /** Objects read (configuration and releases included); 0 means the input held none. */
  readonly read: number;
  /** Objects judged: manifests and rendered chart objects. */
  readonly audited: number;
  readonly notes: readonly string[];
}

/**
 * Judge the objects under `paths` (files, folders, `-`), streamed document by document so only
 * results are kept: any amount of input fits in memory. When the policies read Namespaces
 * (`engine.readsNamespaces`), a first pass collects them, since an object may come before its
 * Namespace; otherwise each object is judged as it is read.
 */
export async function auditInputs(engine: PolicyEngine, paths: readonly string[], options: AuditInputOptions = {}): Promise<AuditedInputs> {
  const gitops = new GitopsCollector(options);
  let stdin: Promise<string> | undefined;
  const readStdin = options.readStdin && (() => (stdin ??= options.readStdin!()));
  const namespaces = new Map<string, KubeObject>();
  const collect = (objects: readonly SourceObject[]) => {
    for (const { object } of objects) {
      const name = (object.metadata as { name?: unknown } | undefined)?.name;
      if (isNamespace(object) && typeof name === 'string') namespaces.set(name, object);
    }
  };
  const results: PolicyResult[] = [];
  let read = 0;
  let audited = 0;
  const judge = (evaluate: (objects: readonly SourceObject[]) => PolicyResult[], objects: readonly SourceObject[]) => {
    audited += objects.length;
    for (const result of evaluate(objects)) results.push(result);
  };
  let evaluate = engine.readsNamespaces ? undefined : engine.session(namespaces);
  for await (const batch of streamObjects(paths, readStdin, options.onSkipped)) {
    read += batch.length;
    const manifests = gitops.add(batch);
    if (evaluate) judge(evaluate, manifests);
    else collect(manifests);
  }
  if (read === 0) return { results, read, audited, notes: [] };
  const rendered = await gitops.finish();
  if (!evaluate) {
    collect(rendered.objects);
    evaluate = engine.session(namespaces);
    for await (const batch of streamObjects(paths, readStdin)) judge(evaluate, classifyObjects(batch).manifests);
  }
  judge(evaluate, rendered.objects);
  return { results, read, audited, notes: rendered.notes };
}
