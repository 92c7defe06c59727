/**
 * The compiled fast path (src/policy-engine/fast-path.ts) must give exactly what cel-js gives,
 * errors included: each expression runs through the engine's program (fast path in front) and
 * through cel-js alone, on inputs chosen to hit every way the plain case can fail.
 */
import { Optional } from '@marcbachmann/cel-js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { compileCel, policyCelEnvironment, type CelActivation } from '../../src/policy-engine/cel-env.js';
import { hasFastPath } from '../../src/policy-engine/fast-path.js';
import { POLICY_DIR } from '../../src/policies/index.js';

/** A variable bag like the engine's: a getter per variable; `failing` ones throw. */
function bag(values: Record<string, unknown>, failing: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) Object.defineProperty(out, name, { enumerable: true, get: () => value });
  for (const name of failing) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        throw new Error(`variable ${name} failed`);
      },
    });
  }
  return out;
}

const activation = (object: unknown, variables: Record<string, unknown> = {}): CelActivation =>
  ({ object, oldObject: null, request: null, namespaceObject: null, params: null, variables, exceptions: null }) as CelActivation;

/** What a program gives: its value, or the first line of what it throws. */
function outcome(program: (a: CelActivation) => unknown, a: CelActivation): unknown {
  try {
    return { value: program(a) };
  } catch (error) {
    return { error: String((error as Error).message).split('\n')[0] };
  }
}

function celJsOnly(expression: string): (a: CelActivation) => unknown {
  const parsed = policyCelEnvironment().parse(expression);
  expect(parsed.check().valid).toBe(true);
  return parsed as unknown as (a: CelActivation) => unknown;
}

function engineProgram(expression: string) {
  const compiled = compileCel(expression);
  if ('typeError' in compiled) throw compiled.typeError;
  return compiled;
}

const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx', ...extra });
const withConstructorKey = JSON.parse('{"constructor": "x", "name": "c"}') as Record<string, unknown>;

/** Objects covering absent fields, wrong types, mixed lists, odd maps. */
const OBJECTS: readonly unknown[] = [
  { spec: { containers: [container()] } },
  { spec: { containers: [container({ securityContext: { privileged: true } })], initContainers: [container({ name: 'init' })] } },
  { spec: { containers: [container({ securityContext: { privileged: 'true' } })] } },
  { spec: { containers: [container({ securityContext: null })] } },
  { spec: { containers: [container({ securityContext: { privileged: false, runAsUser: 0n } })], hostNetwork: true } },
  { spec: { containers: [container({ securityContext: { runAsUser: 1.5 } })] } },
  { spec: { containers: [container({ ports: [{ hostPort: 80n }, { hostPort: 0n }] })], hostPID: 'yes' } },
  { spec: { containers: [withConstructorKey] } },
  { spec: { containers: [container({ securityContext: withConstructorKey })] } },
  { spec: withConstructorKey },
  { spec: { containers: [[withConstructorKey]] } },
  { spec: { containers: 'not a list' } },
  { spec: { containers: [1n, 'two', null] } },
  { spec: { containers: [] } },
  { spec: {} },
  { metadata: { namespace: 'kube-system', labels: { app: 'x', n: 1n } }, spec: { containers: [container({ env: [{ name: 'A', value: ' v ' }] })] } },
  { metadata: { namespace: 5n }, spec: { containers: [container()], volumes: [{ name: 'h', hostPath: { path: '/var/run//x/' } }] } },
  {},
  null,
  withConstructorKey,
];

/** Expressions of the shapes the shipped policies use, each one the fast path takes. */
const EXPRESSIONS: readonly string[] = [
  'object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])',
  'object.spec.containers.filter(c, c.?securityContext.?privileged.orValue(false) == true).map(c, c.name)',
  'object.spec.containers.filter(c, c.?securityContext.?runAsUser.orValue(-1) == 0).map(c, "container " + c.name + " runAsUser 0")',
  'object.spec.containers.exists(c, c.?ports.orValue([]).exists(p, p.?hostPort.orValue(0) != 0))',
  'object.spec.containers.all(c, has(c.securityContext) && c.securityContext.privileged)',
  'object.spec.containers.map(c, c.?ports.orValue([]).map(p, string(p.hostPort)).join(", "))',
  'object.spec.containers.map(c, c.name).join()',
  'size(object.spec.containers) == 0 || object.spec.containers.size() > 1',
  'object.spec.?hostNetwork.orValue(false) != true && !object.spec.?hostPID.orValue(false)',
  '(object.spec.?hostPID.orValue(false) == true ? ["hostPID"] : []) + (object.spec.?hostIPC.orValue(false) == true ? ["hostIPC"] : [])',
  "object.metadata.?namespace.orValue('') == 'kube-system'",
  "'app' in object.metadata.labels && object.metadata.labels['app'] == 'x'",
  "object.spec.containers[0].name in ['app', 'web'] && 'nginx'.startsWith(object.spec.containers[0].image)",
  'object.spec.containers.map(c, {"name": dyn(c.name), "env": dyn(c.?env.orValue([]).map(e, e.?value.orValue("").trim()))})',
  "object.spec.?volumes.orValue([]).filter(v, has(v.hostPath)).map(v, v.hostPath.path.split('/').filter(s, s != ''))",
  "object.spec.?volumes.orValue([]).map(v, v.hostPath.path.endsWith('/') && v.hostPath.path.contains('//'))",
  'object.spec.?securityContext.orValue({}).?runAsUser.orValue(1) * 2 - 3 >= -1',
  'object.spec.containers.filter(c, c.?securityContext.?runAsUser.orValue(1) <= 0).size()',
  'variables.list.filter(x, x != "")',
  'size(variables.list) == 0 || size(variables.other) == 0',
  'variables.maybe.orValue([1])',
  'object.spec.containers.map(c, 1)',
  'dyn(object.spec.containers) == [] || [object.spec.containers] + [[]] == []',
  "object.spec.containers.map(c, dyn(c)).size() > 0 && 'x' in object.spec",
  '{"c": object.spec.containers}.size() > 0 && has(object.spec.containers)',
  'object.spec.containers.filter(c, has(c.name)).map(c, [c]).size()',
  '[object].size() > 0',
];

const VARIABLES: readonly [Record<string, unknown>, string[]][] = [
  [{ list: ['a', ''], other: [] }, []],
  [{ list: [], other: ['x'] }, []],
  [{ list: 'text', other: [] }, []],
  [{ list: ['a', 1n], other: {} }, []],
  [{ other: [] }, ['list']],
  [{ list: ['a'] }, ['other']],
  [{ list: [], maybe: Optional.of([2n]) }, []],
  [{ list: [], maybe: Optional.none() }, []],
  [{ list: [], maybe: [3n] }, []],
];

describe('compiled fast path', () => {
  test.each(EXPRESSIONS)('%s is taken by the fast path and gives what cel-js gives on every input', (expression) => {
    const fast = engineProgram(expression);
    expect(hasFastPath(fast.ast)).toBe(true);
    const reference = celJsOnly(expression);
    for (const object of OBJECTS) {
      for (const [values, failing] of VARIABLES) {
        const a = activation(object, bag(values, failing));
        expect(outcome(fast.program, a), JSON.stringify({ object, values, failing }, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))).toEqual(outcome(reference, a));
      }
    }
  });

  test.each([
    ['optional results', 'object.spec.?containers'],
    ['macros it does not do', 'object.spec.containers.exists_one(c, c.name == "x")'],
    ['library functions it does not do', "object.metadata.name.matches('^a')"],
    ['optional chains inside has()', 'has(object.spec.?containers.name)'],
  ])('%s are left to cel-js: %s', (_what, expression) => {
    expect(hasFastPath(engineProgram(expression).ast)).toBe(false);
  });

  test('most expressions of the shipped policies are taken by the fast path', () => {
    const expressions: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (['expression', 'messageExpression', 'valueExpression'].includes(key) && typeof value === 'string') expressions.push(value);
          else collect(value);
        }
      }
    };
    for (const file of readdirSync(POLICY_DIR).filter((f) => f.endsWith('.yaml'))) for (const doc of parseAllDocuments(readFileSync(join(POLICY_DIR, file), 'utf8'))) collect(doc.toJSON());
    const taken = expressions.filter((expression) => hasFastPath(engineProgram(expression).ast));
    expect(expressions.length).toBeGreaterThan(50);
    expect(taken.length / expressions.length).toBeGreaterThan(0.8);
  });

  test('the cost budget still stops runaway comprehensions over lists with a cost error', () => {
    const big = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    const runaway = engineProgram('object.l.all(a, object.l.all(b, object.l.all(c, a != "" && b != "" && c != "")))');
    expect(hasFastPath(runaway.ast)).toBe(true);
    expect(outcome(runaway.program, activation({ l: big }))).toEqual({ error: 'operation cancelled: actual cost limit exceeded' });
  });

  test('what the fast path charged before giving up is given back, so cel-js gets the whole budget', () => {
    // The filter charges about 2/3 of the budget; then `==` of an int and a double makes the fast
    // path give up. cel-js alone stays within budget, and so must the engine's program.
    const expression = 'object.l.filter(x, x != "").size() > 0 && object.n == 1';
    const program = engineProgram(expression);
    expect(hasFastPath(program.ast)).toBe(true);
    const items = Array.from({ length: 110_000 }, (_, i) => `k${i}`);
    const a = activation({ l: items, n: 1.0 });
    const expected = outcome(celJsOnly(expression), a);
    expect(outcome(program.program, a)).toEqual(expected);
    expect(expected).not.toEqual({ error: 'operation cancelled: actual cost limit exceeded' });
  });
});
