import { describe, expect, test } from 'vitest';
import { policyCelEnvironment, type CelActivation } from '../../src/policy-engine/cel-env.js';
import { fastCheckOf, withFastPath } from '../../src/policy-engine/fast-path.js';
import type { Program } from '../../src/policy-engine/memo.js';

const parse = (expression: string) => {
  const parsed = policyCelEnvironment().parse(expression);
  expect(parsed.check().valid).toBe(true);
  return { program: parsed as unknown as Program, ast: parsed.ast };
};

const activation = (variables: Record<string, unknown>): CelActivation =>
  ({ object: {}, oldObject: null, request: null, namespaceObject: null, params: null, variables, exceptions: null }) as CelActivation;

/** A variable bag like the engine's: a getter per variable, one of them failing. */
function bag(values: Record<string, unknown>, failing?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) Object.defineProperty(out, name, { enumerable: true, get: () => value });
  if (failing) {
    Object.defineProperty(out, failing, {
      enumerable: true,
      get: () => {
        throw new Error(`variable ${failing} failed`);
      },
    });
  }
  return out;
}

/** What a program gives: its value, or the message of what it throws. */
function outcome(program: Program, variables: Record<string, unknown>): unknown {
  try {
    return program(activation(variables));
  } catch (error) {
    return `error: ${(error as Error).message.split('\n')[0]}`;
  }
}

describe('validation fast path', () => {
  test.each([
    ['size(variables.a) == 0', true],
    ['size(variables.a) == 0 || size(variables.b) == 0', true],
    ['size(variables.a) == 0 || size(variables.b) == 0 || size(variables.c) == 0', true],
    ['size(variables.a) == 1', false],
    ['size(variables.a) != 0', false],
    ['size(variables.a) == 0 && size(variables.b) == 0', false],
    ['size(variables.a) == 0 || object.spec.hostNetwork', false],
    ['size(object.spec.containers) == 0', false],
    ["size(variables['a']) == 0", false],
  ])('%s has a fast check: %s', (expression, expected) => {
    expect(fastCheckOf(parse(expression).ast) !== undefined).toBe(expected);
  });

  const values: Record<string, unknown>[] = [
    { a: [], b: [] },
    { a: ['x'], b: [] },
    { a: ['x'], b: ['y'] },
    { a: [], b: ['y'] },
    { a: '', b: [] },
    { a: 'text', b: ['y'] },
    { a: {}, b: ['y'] },
    { a: { k: 1n }, b: [] },
    { a: ['x'], b: 'text' },
    { a: ['x'], b: 5n },
    { a: 5n, b: [] },
    { b: [] },
    { a: ['x'] },
  ];

  test.each(['size(variables.a) == 0', 'size(variables.a) == 0 || size(variables.b) == 0'])(
    'GIVEN lists, strings, maps, other values and missing variables WHEN %s runs with the fast path THEN it gives what cel-js gives',
    (expression) => {
      const { program, ast } = parse(expression);
      const fast = withFastPath(program, ast);
      expect(fast).not.toBe(program);
      for (const v of values) expect(outcome(fast, bag(v)), JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))).toEqual(outcome(program, bag(v)));
    },
  );

  test('GIVEN a failing variable WHEN the fast path meets it THEN the error or the other operand decides, as in cel-js', () => {
    const { program, ast } = parse('size(variables.a) == 0 || size(variables.b) == 0');
    const fast = withFastPath(program, ast);
    for (const [values, failing] of [
      [{ b: [] }, 'a'],
      [{ b: ['y'] }, 'a'],
      [{ a: ['x'] }, 'b'],
      [{ a: [] }, 'b'],
    ] as const) {
      expect(outcome(fast, bag(values, failing))).toEqual(outcome(program, bag(values, failing)));
    }
    expect(outcome(fast, bag({ b: [] }, 'a'))).toBe(true);
    expect(outcome(fast, bag({ a: ['x'] }, 'b'))).toBe('error: variable b failed');
  });
});
