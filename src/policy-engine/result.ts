/** One policy result per (policy, resource), the shape every output format starts from. */
import { z } from 'zod';
import { resultStatusSchema } from './schema.js';

export const resourceRefSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});
export type ResourceRef = z.infer<typeof resourceRefSchema>;

export const policyResultSchema = z.strictObject({
  /** Policy name; `namespace/name` for a NamespacedValidatingPolicy, as Kyverno reports it. */
  policy: z.string(),
  /** Kyverno leaves the rule of a ValidatingPolicy result empty, except `exception` when one applied. */
  rule: z.string().optional(),
  resource: resourceRefSchema,
  result: resultStatusSchema,
  message: z.string(),
  /** Exceptions (`namespace/name`) that turned the result into skip or pass. */
  exceptions: z.array(z.string()).optional(),
  /** The autogen variant that produced the result (`defaults`, `cronjobs`) for pod controllers. */
  autogen: z.string().optional(),
  /** Index of the validation that failed or errored. */
  validationIndex: z.number().int().optional(),
  /** Values of the policy's `auditAnnotations` for this resource (null values left out). */
  auditAnnotations: z.record(z.string(), z.string()).optional(),
  /** Where the resource came from. */
  source: z.strictObject({ file: z.string(), line: z.number().int() }),
  /** `policies.kyverno.io/severity` and `/category` annotations of the policy. */
  severity: z.string().optional(),
  category: z.string().optional(),
});
export type PolicyResult = z.infer<typeof policyResultSchema>;
export type ResultStatus = PolicyResult['result'];

export interface ResultTally {
  readonly pass: number;
  readonly fail: number;
  readonly warn: number;
  readonly error: number;
  readonly skip: number;
}

export function tallyResults(results: readonly PolicyResult[]): ResultTally {
  const tally = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) tally[r.result]++;
  return tally;
}

/** What output formats need to know about a policy besides its results. */
export interface PolicyInfo {
  /** As results name it (`namespace/name` for a NamespacedValidatingPolicy). */
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly severity: string | undefined;
  readonly category: string | undefined;
  /** Whether background evaluation is on (Kyverno's report `process` property). */
  readonly background: boolean;
}
