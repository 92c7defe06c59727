/**
 * The CIS report as the Bottlerocket API serves it (`GET /report/cis?...&format=json`), the evidence
 * envelope the collector stores around it, and the normalized report every later stage works on.
 * Field list: bottlerocket-core-kit `sources/bloodhound/src/results.rs` (see ../shared/reference/cis).
 */
import { z } from 'zod';

const CHECK_STATUSES = ['PASS', 'FAIL', 'SKIP'] as const;
export const checkStatusSchema = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

const BENCHMARK_TYPES = ['bottlerocket', 'kubernetes'] as const;
export const benchmarkTypeSchema = z.enum(BENCHMARK_TYPES);
export type BenchmarkType = z.infer<typeof benchmarkTypeSchema>;

export const levelSchema = z.union([z.literal(1), z.literal(2)]);
export type BenchmarkLevel = z.infer<typeof levelSchema>;

/** CIS ids are dotted numbers (`4.2.13`, `2.1.1.1`); anything else is not a CIS check. */
export const CHECK_ID = /^\d+(\.\d+)*$/;

const count = z.number().int().min(0);

const apiCheckSchema = z.object({
  name: z.string().min(1),
  id: z.string().regex(CHECK_ID, 'must be a dotted CIS id such as 4.2.13'),
  level: levelSchema,
  title: z.string().min(1),
  mode: z.enum(['Automatic', 'Manual']),
  status: checkStatusSchema,
  error: z.string(),
});

export const apiReportSchema = z.object({
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  level: levelSchema,
  status: checkStatusSchema,
  timestamp: z.iso.datetime({ offset: true }),
  total: count,
  passed: count,
  skipped: count,
  failed: count,
  results: z.record(z.string(), apiCheckSchema),
});
export type ApiReport = z.infer<typeof apiReportSchema>;

/** `GET /os` on the Bottlerocket API; only the fields the evidence needs. */
export const osFactsSchema = z.object({
  version_id: z.string().min(1),
  variant_id: z.string().min(1),
  arch: z.string().min(1),
  build_id: z.string().min(1),
});
export type OsFacts = z.infer<typeof osFactsSchema>;

export const EVIDENCE_KIND = 'bottlerocket-eks/cis-evidence/v1';

/** What the collector writes to `cis/<cluster>/<yyyy>/<mm>/<dd>/<node>/<type>-L<level>.json`: the API report verbatim plus who and where. */
export const evidenceSchema = z.strictObject({
  kind: z.literal(EVIDENCE_KIND),
  cluster: z.string().min(1),
  node: z.string().min(1),
  /** `null` when the node's providerID could not be read: recorded as unknown, never guessed. */
  instanceId: z.string().min(1).nullable(),
  bottlerocket: z.strictObject({ version: z.string().min(1), variant: z.string().min(1), arch: z.string().min(1), buildId: z.string().min(1) }),
  benchmark: z.strictObject({ type: benchmarkTypeSchema, level: levelSchema }),
  collectedAt: z.iso.datetime({ offset: true }),
  report: apiReportSchema,
});
export type Evidence = z.infer<typeof evidenceSchema>;

export interface CisCheck {
  /** Checker name (`k8s04021300`); text reports do not print it. */
  readonly name?: string;
  readonly id: string;
  readonly title: string;
  readonly mode: 'Automatic' | 'Manual';
  readonly status: CheckStatus;
  readonly error?: string;
}

/** Who produced a report. Stored evidence carries all of it; loose text reports only what their path or flags say. */
export interface ReportOrigin {
  readonly environment?: string;
  readonly cluster: string;
  readonly node: string;
  readonly instanceId?: string;
  readonly bottlerocketVersion?: string;
  readonly variant?: string;
}

export interface CisReport {
  /** File path or `s3://bucket/key` the report was read from. */
  readonly source: string;
  readonly origin: ReportOrigin;
  readonly type: BenchmarkType;
  readonly level: BenchmarkLevel;
  readonly benchmark: { readonly name?: string; readonly version?: string; readonly url?: string };
  /** When the benchmark ran (ISO 8601). */
  readonly timestamp: string;
  readonly status: CheckStatus;
  readonly counts: { readonly total: number; readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly checks: readonly CisCheck[];
}

export const BENCHMARK_NAMES: Readonly<Record<BenchmarkType, string>> = {
  bottlerocket: 'CIS Bottlerocket Benchmark',
  kubernetes: 'CIS Kubernetes Benchmark (Worker Node)',
};

/** Short label used in tables and file names: `cis` / `cis-k8s` as `apiclient report` names them. */
export const BENCHMARK_LABELS: Readonly<Record<BenchmarkType, string>> = { bottlerocket: 'cis', kubernetes: 'cis-k8s' };
