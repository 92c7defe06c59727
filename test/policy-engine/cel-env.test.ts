import { describe, expect, test } from 'vitest';
import { compileCel, policyCelEnvironment, type CompiledCel } from '../../src/policy-engine/cel-env.js';

function compiled(expression: string): CompiledCel {
  const result = compileCel(expression);
  if ('typeError' in result) throw result.typeError;
  return result;
}

const run = (expression: string, object: unknown = {}) =>
  compiled(expression).program({ object, oldObject: null, request: null, namespaceObject: null, params: null, variables: {}, exceptions: null });

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

  test.each([
    // RE2 semantics (cel-go), which JavaScript's RegExp does not share.
    ["'ABC'.matches('(?i)^abc$')", true],
    ["'ab\\n'.matches(r'b\\z')", false],
    ["'ab'.matches(r'b\\z')", true],
    ["'abc'.matches(r'\\Aabc')", true],
    ["'héllo'.matches(r'^\\pL+$')", true],
    ["'h3llo'.matches(r'^\\pL+$')", false],
    ["'abc'.matches('^[[:alpha:]]+$')", true],
    ["'a.b'.matches(r'^\\Qa.b\\E$') && !'axb'.matches(r'^\\Qa.b\\E$')", true],
    ["matches('container_t', '^container_')", true],
    // Kubernetes regex library.
    ["'abc 123 def 456'.find('[0-9]+')", '123'],
    ["'abc 123 def 456'.findAll('[0-9]+')", ['123', '456']],
    ["'abc 123 def 456'.findAll('[0-9]+', 1)", ['123']],
    // cel-go ext.Regex.
    ["regex.replace('banana', 'a(n)', r'<\\1>')", 'b<n><n>a'],
    ["regex.extract('image:v1.2', 'v([0-9.]+)').value()", '1.2'],
    // quantity.
    ["quantity('1Gi').isGreaterThan(quantity('1000Mi'))", true],
    ["quantity('1.5').compareTo(quantity('1500m'))", 0n],
    ["quantity('2k').asInteger()", 2000n],
    ["isQuantity('1.5Gi') && !isQuantity('1.5GB')", true],
    ["quantity('1Gi').add(quantity('1Gi')).isGreaterThan(quantity('2000Mi'))", true],
    ["quantity('-1').sign()", -1n],
    // ip and cidr.
    ["isIP('10.0.0.1') && !isIP('10.0.0.01') && !isIP('::ffff:1.2.3.4') && !isIP('fe80::1%eth0')", true],
    ["ip('10.0.0.1').family()", 4n],
    ["ip('::1').isLoopback() && ip('169.254.169.254').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast()", true],
    ["cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && !cidr('10.0.0.0/8').containsIP('11.0.0.1')", true],
    ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')", true],
    ["string(cidr('192.168.1.5/24').masked())", '192.168.1.0/24'],
    ["cidr('2001:db8::/32').prefixLength()", 32n],
    ["string(ip('2001:db8:0:0:0:0:0:1'))", '2001:db8::1'],
    // url.
    ["url('https://example.com:8443/a/b?x=1&x=2').getPort()", '8443'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('https://example.com/a?x=1&x=2').getQuery()['x']", ['1', '2']],
    ["isURL('/absolute/path') && !isURL('relative/path')", true],
    ["url('/absolute/path').getScheme()", ''],
    // format.
    ["format.dns1123Label().validate('Not_Valid').hasValue()", true],
    ["format.dns1123Label().validate('valid-label').hasValue()", false],
    ["format.named('labelValue').value().validate('ok.value').hasValue()", false],
    ["format.named('nope').hasValue()", false],
    // semver.
    ["semver('1.2.3').isLessThan(semver('1.10.0'))", true],
    ["semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", true],
    ["isSemver('v1.2', true) && !isSemver('v1.2')", true],
    ["semver('2.3.4').major() + semver('2.3.4').minor() + semver('2.3.4').patch()", 9n],
    // cel.bind, optionals, lists, strings, encoders, math.
    ['cel.bind(x, [1, 2, 3], x.size() * 2)', 6n],
    ['[3, 1, 2].sort()', [1n, 2n, 3n]],
    ['lists.range(3)', [0n, 1n, 2n]],
    ['[1, 2].first().value() + [1, 2].last().value()', 3n],
    ["'%s has %d'.format(['x', 2])".replace("['x', 2]", "[dyn('x'), dyn(2)]"), 'x has 2'],
    ["strings.quote('a\"b')", '"a\\"b"'],
    ["base64.encode(b'hi')", 'aGk='],
    ['math.greatest([1, 5, 3]) + math.least(4, 2)', 7n],
  ] as const)('Kubernetes/cel-go library: %s', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  test("a catastrophic pattern such as ^(a+)+$ runs in linear time on a long input (RE2, no backtracking)", () => {
    expect(run("object.name.matches('^(a+)+$')", { name: `${'a'.repeat(100_000)}!` })).toBe(false);
  });

  test('an invalid pattern is an evaluation error, not a silent false', () => {
    expect(() => run("'x'.matches('(')")).toThrow(/invalid regular expression/);
  });

  test('a cubic-cost expression stops with a cost error instead of running for minutes', () => {
    const big = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, BigInt(i)]));
    expect(() => run('object.m.all(a, object.m.all(b, object.m.all(c, a != "" && b != "" && c != "")))', { m: big })).toThrow(
      /actual cost limit exceeded/,
    );
  });

  test('expressions without comprehensions are not metered; ones with are, with an estimate at compile time', () => {
    expect(compiled('object.a == 1').estimatedCost).toBeLessThan(100);
    expect(compiled('object.l.all(x, x > 0)').estimatedCost).toBeGreaterThan(1_000_000);
  });

  test.each([
    // cel-go's has() takes a field selection on any operand (parser/macro.go MakeHas), e.g. a call result.
    ['has(json.unmarshal(object.s).a)', { s: '{"a":1}' }, true],
    ['has(json.unmarshal(object.s).b)', { s: '{"a":1}' }, false],
    ['has(json.unmarshal(object.s).a.b)', { s: '{"a":{"b":1}}' }, true],
    ['has([{"a": 1}][0].a) && !has([{"a": 1}][0].z)', {}, true],
  ])('has() over a non-identifier operand: %s', (expression, object, expected) => {
    expect(run(expression, object)).toBe(expected);
  });

  test('has() still needs a field selection, and a missing key before the tested field is an error, as in cel-go', () => {
    expect(compileCel('has(json.unmarshal("{}"))')).toHaveProperty('typeError');
    expect(compileCel('has(object)')).toHaveProperty('typeError');
    expect(() => run('has(json.unmarshal(object.s).x.b)', { s: '{"a":{}}' })).toThrow(/No such key: x/);
  });

  test('mixed-type list literals are refused, as Kyverno (cel.HomogeneousAggregateLiterals) refuses them', () => {
    expect(compileCel("['a', 1]")).toHaveProperty('typeError');
    expect(compileCel("[dyn('a'), dyn(1)]")).not.toHaveProperty('typeError');
  });
});
