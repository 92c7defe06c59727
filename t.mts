import { policyCelEnvironment, useRe2 } from './src/policy-engine/cel-env.ts';
import { estimateCost, metered, meterComprehensions } from './src/policy-engine/cost.ts';
const env = policyCelEnvironment();
const run = (e: string, ctx: any = {}) => { const p: any = env.parse(e); useRe2(p.ast); const c = p.check(); if (!c.valid) return 'TYPE ' + c.error.message.split('\n')[0]; meterComprehensions(p.ast); try { const t = Date.now(); const v = metered(p)(ctx); return [v, Date.now() - t + 'ms']; } catch (e: any) { return 'ERR ' + e.message.split('\n')[0]; } };
const big: any = {}; for (let i = 0; i < 2000; i++) big['k' + i] = i;
for (const e of ["'ABC'.matches('(?i)abc')", "matches('ba', 'a\\\\z')", "'héllo'.matches('^\\\\pL+$')", "'x1y2'.findAll('[0-9]')", "'x1y2'.find('[a-z]')", "quantity('1Gi').isGreaterThan(quantity('1000Mi'))", "quantity('500m').asApproximateFloat()", "cidr('10.0.0.0/8').containsIP('10.1.2.3')", "ip('::1').isLoopback()", "url('https://a.b:8080/p?q=1').getPort()", "semver('1.2.3').isLessThan(semver('1.10.0'))", "format.dns1123Label().validate('Abc').hasValue()", "['a', 1]", "object.big.all(a, object.big.all(b, object.big.all(c, true)))", "('a'.repeat ? true : true)", "regex.replace('abc', 'b', 'x')", "math.greatest([1, 5, 3])", "'%s-%d'.format(['a', 3])", "isURL('/x')", "base64.encode(b'hi')"]) console.log(e.slice(0, 60).padEnd(62), run(e, { object: { big } }));
const long = 'a'.repeat(100000) + '!';
console.log(run("object.n.matches('^(a+)+$')", { object: { n: long } }));
