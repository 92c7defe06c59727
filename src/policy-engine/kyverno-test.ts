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
import type { LookupContext } from './cel-kyverno.js';
import { parseObjects, readObjects, type KubeObject, type SourceObject } from './documents.js';
import type { EvaluationOptions } from './evaluate.js';
import { checkShape } from './load-policies.js';
import { CLUSTER_SCOPED_KINDS, type AdmissionOperation } from './match.js';
import { compilePolicySet } from './policy-set.js';
import type { PolicyResult, ResultStatus } from './result.js';
import {
  kyvernoTestSchema,
  POLICY_KINDS,
  testContextSchema,
  testUserInfoSchema,
  testValuesSchema,
  type KyvernoTest,
  type TestValues,
} from './schema.js';

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
  /** Suites only the real Kyverno can run (payloads, mutation, generation, API calls), with why. */
  readonly unsupported: readonly { readonly file: string; readonly reason: string }[];
  /** Suites that could not be loaded (bad YAML, unknown fields, missing files), each problem at file:line. */
  readonly problems: readonly { readonly file: string; readonly message: string }[];
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

async function readOne(file: string, what: string): Promise<SourceObject> {
  const objects = parseObjects(file, await readFile(file, 'utf8').catch(() => {
    throw new UserInputError(`${what} file not found: ${file}`);
  }));
  if (objects.length !== 1) throw new UserInputError(`expected exactly one ${what} document, found ${objects.length}`, { position: { file, line: 1, col: 1 } });
  return objects[0]!;
}

async function loadTest(file: string): Promise<KyvernoTest> {
  return checkShape(kyvernoTestSchema, await readOne(file, 'Test'), 'Test');
}

/** A suite the offline engine cannot run as Kyverno would: counted and listed, never guessed. */
export class UnsupportedSuite extends Error {}

/** What a Test asks for that only the real Kyverno can give (payload policies, mutation, generation, API calls). */
function unsupportedReasons(test: KyvernoTest): string[] {
  const reasons: string[] = [];
  for (const field of ['jsonPayload', 'jsonPayloads', 'httpPayloads', 'envoyPayloads', 'targetResources', 'paramResources', 'clusterResources', 'apiCallResponses', 'globalContextEntries'] as const) {
    if (test[field] !== undefined) reasons.push(`uses ${field}`);
  }
  for (const entry of test.results) {
    for (const field of ['patchedResources', 'generatedResource', 'generatedResources', 'cloneSourceResource', 'resourceSpecs'] as const) {
      if (entry[field] !== undefined) reasons.push(`result for ${entry.policy} uses ${field}`);
    }
  }
  return [...new Set(reasons)];
}

async function loadValues(dir: string, test: KyvernoTest): Promise<TestValues[]> {
  const values: TestValues[] = test.values ? [test.values] : [];
  if (test.variables) values.push(checkShape(testValuesSchema, await readOne(resolve(dir, test.variables), 'values'), 'values file'));
  return values;
}

/** Namespaces a values file declares (`namespaceSelector: [{name, labels}]` and `namespaces: [Namespace]`). */
function namespacesFrom(values: readonly TestValues[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const v of values) {
    for (const { name, labels } of v.namespaceSelector ?? []) {
      out.set(name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
    }
    for (const namespace of v.namespaces ?? []) {
      const { name, labels } = namespace.metadata;
      out.set(name, { apiVersion: 'v1', kind: 'Namespace', ...namespace, metadata: { ...namespace.metadata, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
    }
  }
  return out;
}

async function loadUserInfo(dir: string, test: KyvernoTest): Promise<EvaluationOptions['userInfo']> {
  if (!test.userinfo) return undefined;
  return checkShape(testUserInfoSchema, await readOne(resolve(dir, test.userinfo), 'userinfo'), 'userinfo file').userInfo;
}

async function loadContext(dir: string, test: KyvernoTest): Promise<LookupContext | undefined> {
  if (!test.context) return undefined;
  const context = checkShape(testContextSchema, await readOne(resolve(dir, test.context), 'context'), 'context file');
  return { resources: context.spec?.resources ?? [], images: context.spec?.images ?? [] };
}

const metadataOf = (o: SourceObject) => (o.object.metadata ?? {}) as { name?: string; generateName?: string; namespace?: string };
const nameOf = (o: SourceObject) => metadataOf(o).name ?? metadataOf(o).generateName;
const describeResource = (o: SourceObject) =>
  [o.object.kind, metadataOf(o).namespace, nameOf(o)].filter((x) => typeof x === 'string' && x !== '').join('/');

/** Keep the first of objects with the same apiVersion, kind, namespace and name, as Kyverno does. */
function uniqueResources(objects: readonly SourceObject[]): SourceObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const m = metadataOf(o);
    const key = `${String(o.object.apiVersion)}|${String(o.object.kind)}|${m.namespace ?? ''}|${nameOf(o) ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Run one kyverno-test.yaml; throws UnsupportedSuite for what only the real Kyverno can run. */
export async function runTestFile(file: string): Promise<TestCaseResult[]> {
  const test = await loadTest(file);
  const unsupported = unsupportedReasons(test);
  if (unsupported.length) throw new UnsupportedSuite(unsupported.join('; '));
  const dir = dirname(file);
  const at = (paths: readonly string[] | undefined) => (paths ?? []).map((p) => resolve(dir, p));
  const policyObjects = await readObjects(at(test.policies));
  const otherKinds = [...new Set(policyObjects.map((o) => String(o.object.kind)).filter((k) => !(POLICY_KINDS as readonly string[]).includes(k)))];
  if (otherKinds.length) throw new UnsupportedSuite(`policies of kind ${otherKinds.join(', ')} (only ValidatingPolicy and NamespacedValidatingPolicy are evaluated offline)`);
  const engine = compilePolicySet({ policies: policyObjects, exceptions: await readObjects(at(test.exceptions)) });
  const resources = uniqueResources(await readObjects(at(test.resources)));
  const [values, userInfo, lookups] = await Promise.all([loadValues(dir, test), loadUserInfo(dir, test), loadContext(dir, test)]);
  const globalOperation = values.map((v) => v.globalValues?.['request.operation']).find((op) => typeof op === 'string') as AdmissionOperation | undefined;
  const namespaces = namespacesFrom(values);

  // Results depend on the operation, so resources are evaluated once per operation the entries name.
  const byOperation = new Map<AdmissionOperation, Map<string, PolicyResult[]>>();
  const resultsFor = (operation: AdmissionOperation) => {
    let index = byOperation.get(operation);
    if (index) return index;
    index = new Map();
    for (const r of engine.evaluate(resources, namespaces, { operation, userInfo, lookups, cliDefaults: true })) {
      const key = `${r.resource.kind}|${r.resource.namespace ?? ''}|${r.resource.name}`;
      index.set(key, [...(index.get(key) ?? []), r]);
    }
    byOperation.set(operation, index);
    return index;
  };

  const cases: TestCaseResult[] = [];
  for (const entry of test.results) {
    const policyName = entry.policy;
    const operation = entry.operation ?? globalOperation ?? 'CREATE';
    const resultIndex = resultsFor(operation);
    const forPolicy = (r: PolicyResult) => r.policy === policyName || r.policy.endsWith(`/${policyName}`);
    const requested = entry.resources ?? [
      ...new Set([...resultIndex.values()].flat().filter(forPolicy).map((r) => (r.resource.namespace ? `${r.resource.namespace}/${r.resource.name}` : r.resource.name))),
    ];
    for (const wanted of requested) {
      const [namespace, name] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
      const matching = resources.filter((o) => {
        const m = metadataOf(o);
        const ns = m.namespace ?? (CLUSTER_SCOPED_KINDS.has(String(o.object.kind)) ? undefined : 'default');
        return nameOf(o) === name && (namespace === undefined || ns === namespace) && (!entry.kind || o.object.kind === entry.kind);
      });
      const base = { file, test: test.metadata.name, policy: policyName, expected: entry.result };
      if (matching.length === 0) {
        cases.push({ ...base, resource: entry.kind ? `${entry.kind}/${wanted}` : wanted, actual: 'not found', ok: false, message: 'resource not found in the test resources' });
        continue;
      }
      for (const object of matching) {
        const m = metadataOf(object);
        const ns = m.namespace ?? (CLUSTER_SCOPED_KINDS.has(String(object.object.kind)) ? '' : 'default');
        const got = (resultIndex.get(`${String(object.object.kind)}|${ns}|${nameOf(object) ?? ''}`) ?? []).filter(forPolicy);
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

/**
 * Run every suite under `paths` in one go: a suite that cannot load is listed with its problem,
 * one the offline engine cannot run is listed as unsupported, and the others all run.
 */
export async function runTests(paths: readonly string[]): Promise<TestRunSummary> {
  const files = await findTestFiles(paths);
  if (files.length === 0) throw new UserInputError(`no ${TEST_FILE_NAME} found under ${paths.join(', ')}`);
  const tests: TestCaseResult[] = [];
  const unsupported: { file: string; reason: string }[] = [];
  const problems: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      tests.push(...(await runTestFile(file)));
    } catch (error) {
      if (error instanceof UnsupportedSuite) unsupported.push({ file, reason: error.message });
      else if (error instanceof UserInputError) problems.push({ file, message: error.format() });
      else throw error;
    }
  }
  const passed = tests.filter((t) => t.ok).length;
  return { passed, failed: tests.length - passed, tests, unsupported, problems };
}
