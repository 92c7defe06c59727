import { compileCel } from './src/policy-engine/cel-env.ts';
const big: any = {}; for (let i = 0; i < 2000; i++) big['k' + i] = BigInt(i);
for (const e of ['object.m.all(a, object.m.all(b, true))', 'object.m.all(a, object.m.all(b, object.m.all(c, a != "" && b != "" && c != "")))']) {
  const c: any = compileCel(e);
  const t = Date.now();
  try { console.log(c.program({ object: { m: big } })); } catch (err: any) { console.log(err.message); }
  console.log(Date.now() - t, 'ms');
}
