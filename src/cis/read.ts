/**
 * Turn report files into normalized `CisReport`s: `.json` (collector evidence or a bare API
 * report) and `.txt` (the `apiclient` text form). Every file is read; every bad one is reported
 * together, and any bad one fails the whole ingest.
 */
import { UserInputError, UserInputErrors } from '../common/errors.js';
import { originFromPath, UNKNOWN } from './origin.js';
import { parseJsonReport } from './parse-json.js';
import { parseTextReport } from './parse-text.js';
import type { CisReport, ReportOrigin } from './model.js';

export interface ReportFile {
  /** Path or `s3://bucket/key`, as errors and outputs name it. */
  readonly source: string;
  /** Path below the input root, `/`-separated; origin is read from it. */
  readonly relative: string;
  /** The file's content; may be a getter that reads it on access. */
  readonly text: string;
}

/** Fallbacks for what a loose report's path does not say. */
export interface OriginHints {
  /** Environment of every report (`--env`). */
  readonly environment?: string;
  /** Otherwise: the environment a cluster belongs to (from platform.yaml), if known. */
  readonly environmentOf?: (cluster: string) => string | undefined;
  readonly cluster?: string;
  readonly node?: string;
}

export function readReport(file: ReportFile, hints: OriginHints = {}): CisReport {
  const path = originFromPath(file.relative);
  if (file.source.endsWith('.txt')) {
    const report = parseTextReport(file.source, file.text);
    return { ...report, source: file.source, origin: looseOrigin(path, hints) };
  }
  if (!file.source.endsWith('.json')) {
    throw new UserInputError(`not a CIS report: expected a .json or .txt file`, { position: { file: file.source, line: 1, col: 1 } });
  }
  // `text` may read the file (see sources.ts): ask for it once.
  const { evidence, ...report } = parseJsonReport(file.source, file.text);
  if (!evidence) return { ...report, source: file.source, origin: looseOrigin(path, hints) };
  const collectedDay = evidence.collectedAt.slice(0, 10);
  // A stored object whose key disagrees with its content was moved or tampered with.
  if (path.bucketLayout && (path.cluster !== evidence.cluster || path.node !== evidence.node || path.day !== collectedDay)) {
    throw new UserInputError(
      `evidence for ${evidence.cluster}/${evidence.node} collected ${collectedDay} is stored under another cluster, node or day (${file.relative})`,
      { position: { file: file.source, line: 1, col: 1 } },
    );
  }
  const environment = environmentFor(evidence.cluster, hints);
  const origin: ReportOrigin = {
    ...(environment ? { environment } : {}),
    cluster: evidence.cluster,
    node: evidence.node,
    ...(evidence.instanceId ? { instanceId: evidence.instanceId } : {}),
    bottlerocketVersion: evidence.bottlerocket.version,
    variant: evidence.bottlerocket.variant,
  };
  return { ...report, source: file.source, origin };
}

function looseOrigin(path: ReturnType<typeof originFromPath>, hints: OriginHints): ReportOrigin {
  const cluster = path.cluster ?? hints.cluster ?? UNKNOWN;
  const environment = environmentFor(cluster, hints);
  return { ...(environment ? { environment } : {}), cluster, node: path.node ?? hints.node ?? UNKNOWN };
}

function environmentFor(cluster: string, hints: OriginHints): string | undefined {
  return hints.environment ?? hints.environmentOf?.(cluster);
}

/** Read all files; throw every problem at once so one run shows the user all broken reports. */
export function readReports(files: readonly ReportFile[], hints: OriginHints = {}): CisReport[] {
  const reports: CisReport[] = [];
  const errors: UserInputError[] = [];
  for (const file of files) {
    try {
      reports.push(readReport(file, hints));
    } catch (error) {
      if (error instanceof UserInputErrors) errors.push(...error.errors);
      else if (error instanceof UserInputError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new UserInputErrors(errors);
  return reports;
}
