/** `cis report` as a library call: load every input, read strictly, refuse the impossible, aggregate. */
import type { S3Client } from '@aws-sdk/client-s3';
import { UserInputError, UserInputErrors } from '../common/errors.js';
import type { SkippedFile } from '../common/input-files.js';
import { aggregate, type FleetAggregate, type FreshnessWindow } from './aggregate.js';
import type { CisReport } from './model.js';
import { readReports, type OriginHints } from './read.js';
import { loadReportFiles } from './sources.js';

/** Clocks of nodes and of the machine running the report may disagree by this much, no more. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface IngestOptions {
  /**
   * Accept inputs that hold no report at all. Without it, no evidence is an error: an empty
   * bucket prefix or a mistyped folder must never read as a clean fleet.
   *
   * @default false
   */
  readonly allowEmpty?: boolean;
  /** Told of each folder entry not read (hidden files, symlinks), so none is left out silently. @default - ignored */
  readonly onSkipped?: (file: SkippedFile) => void;
}

export interface IngestResult {
  readonly reports: readonly CisReport[];
  readonly fleet: FleetAggregate;
}

export async function ingest(inputs: readonly string[], hints: OriginHints, window: FreshnessWindow, s3: () => S3Client, options: IngestOptions = {}): Promise<IngestResult> {
  const files = await loadReportFiles(inputs, s3, options.onSkipped);
  const reports = readReports(files, hints);
  if (reports.length === 0 && !options.allowEmpty) {
    throw new UserInputError(`no CIS reports found in ${inputs.join(', ')}; check the path or bucket prefix (pass --allow-empty if no evidence is expected yet)`);
  }
  refuseFutureReports(reports, window.now);
  return { reports, fleet: aggregate(reports, window) };
}

/**
 * A report dated after now (beyond clock skew) would never go stale and would hide every later
 * report of its node: it is invalid evidence, not the newest.
 */
export function refuseFutureReports(reports: readonly CisReport[], now: Date): void {
  const limit = now.getTime() + MAX_CLOCK_SKEW_MS;
  const errors = reports
    .filter((report) => Date.parse(report.timestamp) > limit)
    .map(
      (report) =>
        new UserInputError(`report time ${report.timestamp} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after now (${now.toISOString()}); a clock is wrong or the report was altered, so it is refused as evidence`, {
          position: { file: report.source, line: 1, col: 1 },
        }),
    );
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new UserInputErrors(errors);
}
