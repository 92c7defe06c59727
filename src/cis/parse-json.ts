/**
 * JSON reports: the collector's evidence envelope, or a bare report as the Bottlerocket API serves
 * it. `JSON.parse` keeps ingest fast; only when something is wrong is the text parsed again with
 * positions (JSON is YAML) so the error names the line.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { z } from 'zod';
import { UserInputError, UserInputErrors, type SourcePosition } from '../common/errors.js';
import { memoize } from '../common/lazy.js';
import { formatFieldPath, parseYamlSource, positionOf } from '../common/yaml-source.js';
import { assertConsistent, type ReportPart } from './consistency.js';
import {
  apiReportSchema,
  BENCHMARK_NAMES,
  EVIDENCE_KIND,
  evidenceSchema,
  type ApiReport,
  type BenchmarkType,
  type CisReport,
  type Evidence,
} from './model.js';

export type JsonReport = Omit<CisReport, 'source' | 'origin'> & { readonly evidence?: Omit<Evidence, 'report'> };

export function parseJsonReport(file: string, text: string): JsonReport {
  const data = parseJson(file, text);
  const locate = positions(file, text);
  if (isObject(data) && 'kind' in data) {
    if (data['kind'] !== EVIDENCE_KIND) throw new UserInputError(`unknown evidence kind ${JSON.stringify(data['kind'])}; expected ${EVIDENCE_KIND}`, { position: locate(['kind']), field: 'kind' });
    const evidence = validate(evidenceSchema, data, locate);
    const { report: api, ...meta } = evidence;
    const fromApi = toReport(api, evidence.benchmark.type, locate, ['report']);
    if (api.level !== evidence.benchmark.level) {
      throw new UserInputError(`benchmark level ${evidence.benchmark.level} does not match the report's level ${api.level}`, { position: locate(['benchmark', 'level']), field: 'benchmark.level' });
    }
    return { ...fromApi, evidence: meta };
  }
  const api = validate(apiReportSchema, data, locate);
  return toReport(api, benchmarkTypeOf(api, file, locate), locate, []);
}

function toReport(api: ApiReport, type: BenchmarkType, locate: (path: readonly PropertyKey[]) => SourcePosition, base: readonly PropertyKey[]): JsonReport {
  if (api.name !== undefined && api.name !== BENCHMARK_NAMES[type]) {
    throw new UserInputError(`benchmark name ${JSON.stringify(api.name)} is not the ${type} benchmark (${BENCHMARK_NAMES[type]})`, { position: locate([...base, 'name']) });
  }
  const entries = Object.entries(api.results);
  entries.forEach(([key, check]) => {
    if (check.name !== key) throw new UserInputError(`result ${key} names checker ${check.name}`, { position: locate([...base, 'results', key, 'name']) });
    if (check.level > api.level) throw new UserInputError(`level ${check.level} check in a level ${api.level} report`, { position: locate([...base, 'results', key, 'level']) });
  });
  const report: JsonReport = {
    type,
    level: api.level,
    benchmark: { ...(api.name ? { name: api.name } : {}), ...(api.version ? { version: api.version } : {}), ...(api.url ? { url: api.url } : {}) },
    timestamp: api.timestamp,
    status: api.status,
    counts: { total: api.total, passed: api.passed, failed: api.failed, skipped: api.skipped },
    checks: entries.map(([, c]) => ({ name: c.name, id: c.id, title: c.title, mode: c.mode, status: c.status, ...(c.error ? { error: c.error } : {}) })),
  };
  assertConsistent(report, (where: ReportPart) =>
    locate(where.part === 'check' ? [...base, 'results', entries[where.index]![0]] : where.part === 'count' ? [...base, where.field] : [...base, 'status']),
  );
  return report;
}

/** A bare API report says which benchmark it is by name, else by its checker names. */
function benchmarkTypeOf(api: ApiReport, file: string, locate: (path: readonly PropertyKey[]) => SourcePosition): BenchmarkType {
  const byName = (Object.entries(BENCHMARK_NAMES) as Array<[BenchmarkType, string]>).find(([, n]) => n === api.name)?.[0];
  if (byName) return byName;
  if (api.name !== undefined) throw new UserInputError(`unknown benchmark ${JSON.stringify(api.name)}`, { position: locate(['name']) });
  const names = Object.keys(api.results);
  if (names.length > 0 && names.every((n) => n.startsWith('br'))) return 'bottlerocket';
  if (names.length > 0 && names.every((n) => n.startsWith('k8s'))) return 'kubernetes';
  throw new UserInputError('cannot tell which benchmark this report is: no `name` and no uniform checker names', { position: { file, line: 1, col: 1 } });
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // YAML's parser reports where JSON broke; if it accepts what JSON did not, fall back to JSON's offset.
    parseYamlSource(file, text);
    const offset = /position (\d+)/.exec((error as Error).message)?.[1];
    const before = text.slice(0, offset === undefined ? text.length : Number(offset)).split('\n');
    throw new UserInputError(`invalid JSON: ${(error as Error).message}`, { position: { file, line: before.length, col: before[before.length - 1]!.length + 1 } });
  }
}

function positions(file: string, text: string): (path: readonly PropertyKey[]) => SourcePosition {
  let source: ReturnType<typeof parseYamlSource> | undefined;
  return (path) => {
    source ??= parseYamlSource(file, text);
    return positionOf(source, path);
  };
}

/**
 * Ajv code-generated from the zod schema checks the common case (a valid report) several times
 * faster than zod; zod stays the one definition and, on anything Ajv rejects, gives the errors.
 */
const fastValidator = memoize((schema: z.ZodType): ValidateFunction => {
  const ajv = new Ajv({ strict: false });
  // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export.
  ajvFormats.default(ajv, ['date-time']);
  return ajv.compile(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }));
});

function validate<T>(schema: z.ZodType<T>, data: unknown, locate: (path: readonly PropertyKey[]) => SourcePosition): T {
  if (fastValidator(schema)(data)) return data as T;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    return new UserInputError(issue.message, { position: locate(path), field: formatFieldPath(path) || '(root)' });
  });
  throw errors.length === 1 ? errors[0]! : new UserInputErrors(errors);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
