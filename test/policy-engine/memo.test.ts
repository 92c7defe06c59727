import { describe, expect, test } from 'vitest';
import { policyCelEnvironment } from '../../src/policy-engine/cel-env.js';
import { dependenciesOf, ObjectMemo } from '../../src/policy-engine/memo.js';
import { engineOf, objects, pod, podRules, policy } from './fixtures.js';

const deps = (expression: string) => {
  const d = dependenciesOf(policyCelEnvironment().parse(expression).ast);
  return { variables: [...d.variables].sort(), unshareable: d.unshareable, readsInput: d.readsInput };
};

describe('sharing analysis', () => {
  test.each([
    ['object.spec.containers', [], false, true],
    ['variables.a + variables.?b.orValue([])', ['a', 'b'], false, false],
    ['variables.containers.filter(c, c.name in variables.names)', ['containers', 'names'], false, false],
    ["variables['a']", [], true, false],
    ['exceptions.allowedImages', [], true, false],
    ["['/etc/', '/run/'].map(d, d + 'x')", [], false, false],
    ['request.namespace', [], false, true],
  ])('%s reads %j (unshareable: %s, reads input: %s)', (expression, variables, unshareable, readsInput) => {
    expect(deps(expression)).toEqual({ variables, unshareable, readsInput });
  });

  test('a constant slot keeps its value across objects', () => {
    const memo = new ObjectMemo();
    const slot = memo.slot('constant', true);
    let calls = 0;
    const program = () => ++calls;
    memo.nextObject();
    memo.run(slot, program, {} as never);
    memo.nextObject();
    expect(memo.run(slot, program, {} as never)).toBe(1);
  });

  test('a memo slot keeps a value or an error for one object only', () => {
    const memo = new ObjectMemo();
    const slot = memo.slot('k');
    expect(memo.slot('k')).toBe(slot);
    let calls = 0;
    const program = () => ++calls;
    memo.nextObject();
    expect([memo.run(slot, program, {} as never), memo.run(slot, program, {} as never)]).toEqual([1, 1]);
    memo.nextObject();
    expect(memo.run(slot, program, {} as never)).toBe(2);
    const failing = () => {
      throw new Error('boom');
    };
    const other = memo.slot('other');
    expect(() => memo.run(other, failing, {} as never)).toThrow('boom');
    expect(() => memo.run(other, () => 1, {} as never)).toThrow('boom');
  });
});

describe('shared variables give the same results as unshared ones', () => {
  test('GIVEN two policies with the same variable text over differently defined dependencies THEN each sees its own value', () => {
    const a = policy('a', {
      matchConstraints: podRules,
      variables: [
        { name: 'limit', expression: '1' },
        { name: 'ok', expression: 'size(object.spec.containers) <= variables.limit' },
      ],
      validations: [{ expression: 'variables.ok' }],
    });
    const b = policy('b', {
      matchConstraints: podRules,
      variables: [
        { name: 'limit', expression: '5' },
        { name: 'ok', expression: 'size(object.spec.containers) <= variables.limit' },
      ],
      validations: [{ expression: 'variables.ok' }],
    });
    const c = policy('c', {
      matchConstraints: podRules,
      variables: [
        { name: 'limit', expression: '1' },
        { name: 'ok', expression: 'size(object.spec.containers) <= variables.limit' },
      ],
      validations: [{ expression: 'variables.ok' }],
    });
    const two = pod('two', { containers: [{ name: 'a' }, { name: 'b' }] });
    const results = engineOf([a, b, c]).evaluate(objects('p.yaml', [two, pod('one')]));
    expect(results.map((r) => `${r.policy} ${r.resource.name} ${r.result}`)).toEqual(['a two fail', 'b two pass', 'c two fail', 'a one pass', 'b one pass', 'c one pass']);
  });

  test('a constant variable combined with object data gives per-object results', () => {
    const p = policy('dirs', {
      matchConstraints: podRules,
      variables: [
        { name: 'forbidden', expression: "['/etc', '/var']" },
        { name: 'bad', expression: "object.spec.?volumes.orValue([]).filter(v, v.hostPath.path in variables.forbidden)" },
      ],
      validations: [{ expression: 'size(variables.bad) == 0' }],
    });
    const withPath = (name: string, path: string) => pod(name, { volumes: [{ name: 'h', hostPath: { path } }] });
    const results = engineOf([p]).evaluate(objects('p.yaml', [withPath('etc', '/etc'), withPath('data', '/data'), withPath('var', '/var')]));
    expect(results.map((r) => `${r.resource.name} ${r.result}`)).toEqual(['etc fail', 'data pass', 'var fail']);
  });

  test('a shared variable that errors makes every policy reading it an error, object by object', () => {
    const reads = (name: string) =>
      policy(name, { matchConstraints: podRules, variables: [{ name: 'port', expression: 'object.spec.containers[0].ports[0].containerPort' }], validations: [{ expression: 'variables.port > 0' }] });
    const results = engineOf([reads('x'), reads('y')]).evaluate(objects('p.yaml', [pod('noports'), pod('ports', { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] })]));
    expect(results.map((r) => `${r.policy} ${r.resource.name} ${r.result}`)).toEqual(['x noports error', 'y noports error', 'x ports pass', 'y ports pass']);
  });
});
