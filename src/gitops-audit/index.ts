/**
 * The objects `audit` evaluates from a GitOps folder: plain manifests as they are, chart releases
 * rendered from local chart sources (`--charts`), configuration skipped; every skip and every
 * release left unrendered becomes a note, so nothing drops out of the audit silently.
 */
import { existsSync } from 'node:fs';
import { UserInputError } from '../common/errors.js';
import { parseObjects, type SourceObject } from '../policy-engine/index.js';
import { classifyObjects } from './classify.js';
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

/** With `chartsDir`, a folder that does not exist is a usage error, not a quiet "nothing rendered". */
export async function gitopsObjects(objects: readonly SourceObject[], options: GitopsAuditOptions = {}): Promise<GitopsObjects> {
  if (options.chartsDir !== undefined && !existsSync(options.chartsDir)) throw new UserInputError(`--charts ${options.chartsDir}: no such directory`);
  const { manifests, releases, skipped } = classifyObjects(objects);
  const notes: string[] = [];
  if (skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const { reason } of skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    notes.push(...[...reasons].map(([reason, count]) => `skipped ${count} object(s): ${reason}`));
  }
  const rendered: SourceObject[] = [];
  for (const { object, release } of releases) {
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
  return { objects: [...manifests, ...rendered], notes };
}
