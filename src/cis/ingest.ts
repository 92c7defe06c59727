/** `cis report` as a library call: load every input, read strictly, aggregate. */
import type { S3Client } from '@aws-sdk/client-s3';
import { aggregate, type FleetAggregate, type FreshnessWindow } from './aggregate.js';
import type { CisReport } from './model.js';
import { readReports, type OriginHints } from './read.js';
import { loadReportFiles } from './sources.js';

export interface IngestResult {
  readonly reports: readonly CisReport[];
  readonly fleet: FleetAggregate;
}

export async function ingest(inputs: readonly string[], hints: OriginHints, window: FreshnessWindow, s3: () => S3Client): Promise<IngestResult> {
  const files = await loadReportFiles(inputs, s3);
  const reports = readReports(files, hints);
  return { reports, fleet: aggregate(reports, window) };
}
