/**
 * One collection round on one node: OS facts, then every configured report, each validated
 * (the same strict reader `cis report` uses) and written to the evidence bucket. Each report
 * stands alone: one failing never stops the others, and each ends in exactly one log line.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UserInputError } from '../../common/errors.js';
import { evidenceKey } from '../origin.js';
import { parseJsonReport } from '../parse-json.js';
import { EVIDENCE_KIND, osFactsSchema, type BenchmarkLevel, type BenchmarkType, type OsFacts } from '../model.js';
import { reportPath, type BottlerocketApi } from './bottlerocket-api.js';
import { DEFAULT_RETRY, delay, withRetries, type RetryPolicy } from './retry.js';

export type LogLine = Readonly<Record<string, unknown>>;

export interface CollectOptions {
  readonly cluster: string;
  readonly node: string;
  readonly bucket: string;
  /** Kubernetes benchmark levels; the Bottlerocket benchmark is always level 1 (ADR-15 keeps the seal). */
  readonly kubernetesLevels: readonly BenchmarkLevel[];
  readonly api: BottlerocketApi;
  readonly s3: S3Client;
  readonly instanceId: () => Promise<string | undefined>;
  readonly log: (line: LogLine) => void;
  readonly now?: () => Date;
  readonly retry?: RetryPolicy;
}

export interface ReportOutcome {
  readonly type: BenchmarkType;
  readonly level: BenchmarkLevel;
  readonly key?: string;
  readonly error?: string;
}

export async function collectOnce(options: CollectOptions): Promise<readonly ReportOutcome[]> {
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? DEFAULT_RETRY;
  const benchmarks: Array<{ type: BenchmarkType; level: BenchmarkLevel }> = [
    { type: 'bottlerocket', level: 1 },
    ...[...new Set(options.kubernetesLevels)].sort().map((level) => ({ type: 'kubernetes' as const, level })),
  ];
  const log = (severity: 'info' | 'warning' | 'error', message: string, fields: LogLine) =>
    options.log({ time: now().toISOString(), severity, message, cluster: options.cluster, node: options.node, ...fields });
  const retried = (operation: string) => (attempt: number, error: unknown, delayMs: number) =>
    log('warning', 'retrying', { operation, attempt, error: error instanceof Error ? error.message : String(error), retryInMs: Math.round(delayMs) });

  let os: OsFacts;
  try {
    os = (await withRetries(async () => osFactsSchema.parse(await options.api.getJson('/os')), retry, undefined, retried('GET /os'))).value;
  } catch (error) {
    // Without OS facts no report is attributable evidence; say so once per report.
    const reason = `cannot read OS facts (GET /os): ${(error as Error).message}`;
    return benchmarks.map((b) => {
      log('error', 'cis report not collected', { benchmark: b.type, benchmarkLevel: b.level, error: reason });
      return { ...b, error: reason };
    });
  }
  let instanceId: string | null = null;
  try {
    instanceId = (await options.instanceId()) ?? null;
  } catch (error) {
    log('error', 'instance id unknown; reports record null', { error: (error as Error).message });
  }

  // One report at a time: each runs the node's checkers, and the node is running workloads.
  const outcomes: ReportOutcome[] = [];
  for (const { type, level } of benchmarks) {
    try {
      const { value: report, attempts } = await withRetries(() => options.api.getJson(reportPath(type, level)), retry, undefined, retried(`GET ${reportPath(type, level)}`));
      const collectedAt = now();
      const key = evidenceKey(options.cluster, options.node, type, level, collectedAt);
      const evidence = {
        kind: EVIDENCE_KIND,
        cluster: options.cluster,
        node: options.node,
        instanceId,
        bottlerocket: { version: os.version_id, variant: os.variant_id, arch: os.arch, buildId: os.build_id },
        benchmark: { type, level },
        collectedAt: collectedAt.toISOString(),
        report,
      };
      const body = `${JSON.stringify(evidence, null, 2)}\n`;
      // Store only what `cis report` will accept: a broken report fails here, on the node, in the log.
      const parsed = parseJsonReport(key, body);
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          // Object Lock buckets refuse PUTs without an integrity checksum.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      log('info', 'cis report stored', { benchmark: type, benchmarkLevel: level, key, status: parsed.status, passed: parsed.counts.passed, failed: parsed.counts.failed, skipped: parsed.counts.skipped, attempts });
      outcomes.push({ type, level, key });
    } catch (reason) {
      const error = reason instanceof UserInputError ? reason.format() : reason instanceof Error ? reason.message : String(reason);
      log('error', 'cis report not collected', { benchmark: type, benchmarkLevel: level, error });
      outcomes.push({ type, level, error });
    }
  }
  return outcomes;
}

/**
 * DaemonSet mode: collect at start (so a new node reports at once), then every `intervalHours`,
 * until `signal` aborts (SIGTERM on pod shutdown).
 */
export async function collectEvery(options: CollectOptions, intervalHours: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    await collectOnce(options);
    await delay(intervalHours * 3_600_000, signal);
  }
}
