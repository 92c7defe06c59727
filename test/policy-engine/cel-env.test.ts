import { describe, expect, test } from 'vitest';
import { policyCelEnvironment } from '../../src/policy-engine/cel-env.js';

const run = (expression: string, object: unknown = {}) =>
  policyCelEnvironment().parse(expression)({ object, oldObject: null, request: null, namespaceObject: null, params: null, variables: {}, exceptions: null });

describe('CEL environment', () => {
  test.each([
    ['optional field present', 'object.?a.orValue(1)', { a: 5n }, 5n],
    ['optional field absent', 'object.?a.orValue(1)', {}, 1n],
    ['selection after an optional stays optional', 'object.?a.b.orValue(7)', { a: {} }, 7n],
    ['optional.none()', 'optional.none().orValue("x")', {}, 'x'],
  ])('%s: %s', (_name, expression, object, expected) => {
    expect(run(expression, object)).toEqual(expected);
  });

  test('orValue on a non-optional value returns the value (cel-go before 0.28, which Kyverno\'s suites rely on)', () => {
    expect(run('object.add.orValue([])', { add: ['NET_BIND_SERVICE'] })).toEqual(['NET_BIND_SERVICE']);
  });

  test.each([
    ['"a-b-c".replace("-", "+")', 'a+b+c'],
    ['"a-b-c".replace("-", "+", 1)', 'a+b-c'],
    ['"/run//containerd/".split("/").filter(s, s != "")', ['run', 'containerd']],
    ['"ABC".lowerAscii()', 'abc'],
    ['"abc".charAt(1)', 'b'],
    ['[1, 2, 3].isSorted() && ![3, 1].isSorted()', true],
    ['[1, 2, 3].sum()', 6n],
    ['[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3', true],
    ['["a", "b"].indexOf("b")', 1n],
    ['[1, 1, 2].distinct()', [1n, 2n]],
    ['[[1], [2, 3]].flatten()', [1n, 2n, 3n]],
    ['sets.contains(["a", "b"], ["b"]) && sets.intersects(["a"], ["a", "c"]) && sets.equivalent(["a", "b"], ["b", "a"])', true],
    ['matches("container_t", "^container_")', true],
    ['["x", "y"].join(",")', 'x,y'],
  ])('library function: %s', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  test('undeclared identifiers are refused at check time', () => {
    const checked = policyCelEnvironment().parse('objekt.spec').check();
    expect(checked.valid).toBe(false);
    expect(checked.error?.message).toMatch(/Unknown variable: objekt/);
  });
});
