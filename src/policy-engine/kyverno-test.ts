/**
 * Kyverno CLI test suites (`kyverno-test.yaml`, kind Test, cli.kyverno.io/v1alpha1) run offline.
 * Like `kyverno test`, a result entry names a policy and resources (by name or namespace/name) and
 * the expected result; rules are not compared for ValidatingPolicies, whose results have none.
 * Two deliberate differences, so a suite cannot pass by accident: `kind` narrows the resources
 * the entry checks, and a resource the policy does not match (Kyverno's "excluded") satisfies only
 * `pass` or `skip`, never `fail` or `error`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserInputError } from '../common/errors.js';
import { parseObjects, readObjects, type KubeObject, type SourceObject } from './documents.js';
import { checkShape } from './load-policies.js';
import { compilePolicySet } from './policy-set.js';
import type { PolicyResult, ResultStatus } from './result.js';
import { kyvernoTestSchema, testValuesSchema, type KyvernoTest, type TestValues } from './schema.js';

export const TEST_FILE_NAME = 'kyverno-test.yaml';

export interface TestCaseResult {
  /** The kyverno-test.yaml file. */
  readonly file: string;
  readonly test: string;
  readonly policy: string;
  /** `Kind/namespace/name` or `Kind/name` of the checked resource (the requested name when absent). */
  readonly resource: string;
  readonly expected: ResultStatus;
  /** What the engine gave: a result, `excluded` (the policy did not match) or `not found`. */
  readonly actual: ResultStatus | 'excluded' | 'not found';
  readonly ok: boolean;
  readonly message: string;
}

export interface TestRunSummary {
  readonly passed: number;
  readonly failed: number;
  readonly tests: readonly TestCaseResult[];
}

/** Every kyverno-test.yaml under the given directories (hidden `.kyverno-test/` folders included). */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new UserInputError(`not a directory: ${dir}`);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.name === TEST_FILE_NAME) found.push(child);
    }
  };
  for (const path of paths) {
    if (path.endsWith(TEST_FILE_NAME)) found.push(path);
    else await walk(path);
  }
  return found;
}

async function loadTest(file: string): Promise<KyvernoTest> {
  const objects = parseObjects(file, await readFile(file, 'utf8'));
  if (objects.length !== 1) throw new UserInputError(`expected exactly one Test document, found ${objects.length}`, { position: { file, line: 1, col: 1 } });
  return checkShape(kyvernoTestSchema, objects[0]!, 'Test');
}

async function loadValues(dir: string, test: KyvernoTest): Promise<TestValues | undefined> {
  if (test.values) return test.values;
  if (!test.variables) return undefined;
  const objects = parseObjects(resolve(dir, test.variables), await readFile(resolve(dir, test.variables), 'utf8').catch(() => {
    throw new UserInputError(`values file not found: ${test.variables}`);
  }));
  return objects[0] ? checkShape(testValuesSchema, objects[0], 'values file') : undefined;
}

/** Namespaces a values file declares (`namespaceSelector: [{name, labels}]`). */
function namespacesFrom(values: TestValues | undefined): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const { name, labels } of values?.namespaceSelector ?? []) {
    out.set(name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  }
  return out;
}

const metadataOf = (o: SourceObject) => (o.object.metadata ?? {}) as { name?: string; namespace?: string };
const describeResource = (o: SourceObject) =>
  [o.object.kind, metadataOf(o).namespace, metadataOf(o).name].filter((x) => typeof x === 'string' && x !== '').join('/');

/** Keep the first of objects with the same apiVersion, kind, namespace and name, as Kyverno does. */
function uniqueResources(objects: readonly SourceObject[]): SourceObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const m = metadataOf(o);
    const key = `${String(o.object.apiVersion)}|${String(o.object.kind)}|${m.namespace ?? ''}|${m.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Run one kyverno-test.yaml. */
export async function runTestFile(file: string): Promise<TestCaseResult[]> {
  const test = await loadTest(file);
  const dir = dirname(file);
  const at = (paths: readonly string[] | undefined) => (paths ?? []).map((p) => resolve(dir, p));
  const engine = compilePolicySet({ policies: await readObjects(at(test.policies)), exceptions: await readObjects(at(test.exceptions)) });
  const resources = uniqueResources(await readObjects(at(test.resources)));
  const results = engine.evaluate(resources, namespacesFrom(await loadValues(dir, test)));
  const resultIndex = new Map<string, PolicyResult[]>();
  for (const r of results) {
    const key = `${r.resource.kind}|${r.resource.namespace ?? ''}|${r.resource.name}`;
    resultIndex.set(key, [...(resultIndex.get(key) ?? []), r]);
  }

  const cases: TestCaseResult[] = [];
  for (const entry of test.results) {
    const policyName = entry.policy;
    const forPolicy = (r: PolicyResult) => r.policy === policyName || r.policy.endsWith(`/${policyName}`);
    const requested = entry.resources ?? [
      ...new Set(results.filter(forPolicy).map((r) => (r.resource.namespace ? `${r.resource.namespace}/${r.resource.name}` : r.resource.name))),
    ];
    for (const wanted of requested) {
      const [namespace, name] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
      const matching = resources.filter((o) => {
        const m = metadataOf(o);
        return m.name === name && (namespace === undefined || m.namespace === namespace) && (!entry.kind || o.object.kind === entry.kind);
      });
      const base = { file, test: test.metadata.name, policy: policyName, expected: entry.result };
      if (matching.length === 0) {
        cases.push({ ...base, resource: entry.kind ? `${entry.kind}/${wanted}` : wanted, actual: 'not found', ok: false, message: 'resource not found in the test resources' });
        continue;
      }
      for (const object of matching) {
        const m = metadataOf(object);
        const got = (resultIndex.get(`${String(object.object.kind)}|${m.namespace ?? ''}|${m.name ?? ''}`) ?? []).filter(forPolicy);
        const resource = describeResource(object);
        if (got.length === 0) {
          const ok = entry.result === 'pass' || entry.result === 'skip';
          cases.push({ ...base, resource, actual: 'excluded', ok, message: 'the policy does not match this resource' });
          continue;
        }
        const wrong = got.find((r) => r.result !== entry.result);
        const shown = wrong ?? got[0]!;
        cases.push({ ...base, resource, actual: shown.result, ok: wrong === undefined, message: shown.message });
      }
    }
  }
  return cases;
}

/** Run every suite under `paths`; a result entry counts once per resource. */
export async function runTests(paths: readonly string[]): Promise<TestRunSummary> {
  const files = await findTestFiles(paths);
  if (files.length === 0) throw new UserInputError(`no ${TEST_FILE_NAME} found under ${paths.join(', ')}`);
  const tests: TestCaseResult[] = [];
  for (const file of files) tests.push(...(await runTestFile(file)));
  const passed = tests.filter((t) => t.ok).length;
  return { passed, failed: tests.length - passed, tests };
}
