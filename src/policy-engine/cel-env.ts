/**
 * The one CEL environment every policy expression compiles in: the bindings Kyverno gives a
 * ValidatingPolicy, and the Kubernetes CEL library functions cel-js does not ship, added through
 * cel-js's documented `registerFunction` extension point.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { memoize, once } from '../common/lazy.js';
import { registerKubernetesLibraries } from './cel-kubernetes.js';
import { registerKyvernoLibraries } from './cel-kyverno.js';
import { estimateCost, forEachAstNode, metered, meterComprehensions, UNBOUNDED_ITERATIONS } from './cost.js';
import { withFastPath } from './fast-path.js';

/**
 * Read once: `orValue` runs for nearly every field of every object, and a test or bench runner
 * (vite-node) serves a package's named imports through a Proxy, one trap call per read.
 */
const OptionalValue = Optional;

/** Names Kyverno binds for ValidatingPolicy expressions (pkg/cel/compiler). */
export const CEL_BINDINGS = ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables', 'exceptions'] as const;
export type CelBinding = (typeof CEL_BINDINGS)[number];
export type CelActivation = Record<CelBinding, unknown>;

// cel-js's macro hooks are typed loosely in its d.ts; these are the parts we use.
interface TypeDecl {
  readonly kind: string;
  readonly valueType?: TypeDecl;
  unify(registry: unknown, other: TypeDecl): TypeDecl | null;
}
interface Checker {
  readonly registry: unknown;
  check(node: unknown, ctx: unknown): TypeDecl;
  getType(name: string): TypeDecl;
  createError(code: string, message: string, node: unknown): Error;
}
interface Evaluator {
  run(node: unknown, ctx: unknown): unknown;
}
interface MacroInput {
  readonly args: readonly unknown[];
  readonly receiver: unknown;
}
interface OrValueMacro {
  readonly receiver: unknown;
  readonly arg: unknown;
}

/**
 * `x.orValue(y)`. Kyverno's own pod-security suite calls `orValue` on plain (non-optional) values,
 * e.g. `container.securityContext.capabilities.add.orValue([])`, and expects them to pass: cel-go
 * before 0.28 returned a non-optional receiver unchanged. cel-js (like cel-go ≥ 0.28) rejects it,
 * so this macro, registered last for `orValue`, keeps optional semantics and the older
 * pass-through for non-optional receivers, which is what the Kyverno CLI the suites were written
 * against does.
 */
function orValueMacro({ args, receiver }: MacroInput) {
  return {
    receiver,
    arg: args[0],
    typeCheck(checker: Checker, macro: OrValueMacro, ctx: unknown): TypeDecl {
      const receiverType = checker.check(macro.receiver, ctx);
      const argType = checker.check(macro.arg, ctx);
      if (receiverType.kind !== 'optional' || !receiverType.valueType) return checker.getType('dyn');
      const unified = receiverType.valueType.unify(checker.registry, argType);
      if (unified) return unified;
      throw checker.createError(
        'incompatible_argument_type',
        `optional.orValue(value) argument must be compatible type, got '${String(receiverType.valueType)}' and '${String(argType)}'`,
        macro.arg,
      );
    },
    evaluate(evaluator: Evaluator, macro: OrValueMacro, ctx: unknown): unknown {
      const value = evaluator.run(macro.receiver, ctx);
      if (!(value instanceof OptionalValue)) return value;
      return value.hasValue() ? value.value() : evaluator.run(macro.arg, ctx);
    },
  };
}

type CelValue = unknown;

function compareCel(a: CelValue, b: CelValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error(`cannot compare ${typeof a} and ${typeof b}`);
}

function celEquals(a: CelValue, b: CelValue): boolean {
  if (a === b) return true;
  // CEL compares numbers across int/double.
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function indexOfCel(list: readonly CelValue[], value: CelValue): bigint {
  return BigInt(list.findIndex((x) => celEquals(x, value)));
}

function sumCel(list: readonly CelValue[]): CelValue {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((s, x) => s + x, 0n);
  return list.reduce<number>((s, x) => s + Number(x), 0);
}

function extremum(list: readonly CelValue[], sign: 1 | -1): CelValue {
  if (list.length === 0) throw new Error('min/max of an empty list');
  return list.reduce((best, x) => (compareCel(x, best) * sign > 0 ? x : best));
}

/** The receiver of `sets.contains(...)` and friends: a namespace, as cel-js does for `optional.of`. */
class SetsNamespace {}

/** Kubernetes strings, lists and sets library functions cel-js lacks (k8s.io/apiserver/pkg/cel/library, cel-go ext). */
function registerKubernetesLibrary(env: Environment): Environment {
  const replaceAll = (s: string, from: string, to: string) => s.split(from).join(to);
  return env
    .registerFunction('string.replace(string, string): string', replaceAll)
    .registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => {
      if (n < 0n) return replaceAll(s, from, to);
      let out = s;
      let from0 = 0;
      for (let i = 0n; i < n; i++) {
        const at = out.indexOf(from, from0);
        if (at < 0) break;
        out = out.slice(0, at) + to + out.slice(at + from.length);
        from0 = at + to.length;
      }
      return out;
    })
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      if (i < 0n || i > BigInt(s.length)) throw new Error(`index out of range: ${i}`);
      return s.charAt(Number(i));
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('list.isSorted(): bool', (l: CelValue[]) => l.every((x, i) => i === 0 || compareCel(l[i - 1], x) <= 0))
    .registerFunction('list.sum(): dyn', (l: CelValue[]) => sumCel(l))
    .registerFunction('list.min(): dyn', (l: CelValue[]) => extremum(l, -1))
    .registerFunction('list.max(): dyn', (l: CelValue[]) => extremum(l, 1))
    .registerFunction('list.indexOf(dyn): int', (l: CelValue[], v: CelValue) => indexOfCel(l, v))
    .registerFunction('list.lastIndexOf(dyn): int', (l: CelValue[], v: CelValue) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
      return -1n;
    })
    .registerFunction('list.distinct(): list', (l: CelValue[]) => l.filter((x, i) => l.findIndex((y) => celEquals(x, y)) === i))
    .registerFunction('list.flatten(): list', (l: CelValue[]) => l.flatMap((x) => (Array.isArray(x) ? x : [x])))
    .registerFunction('list.reverse(): list', (l: CelValue[]) => [...l].reverse())
    .registerFunction('list.slice(int, int): list', (l: CelValue[], a: bigint, b: bigint) => {
      if (a < 0n || b < a || b > BigInt(l.length)) throw new Error(`slice(${a}, ${b}) out of range`);
      return l.slice(Number(a), Number(b));
    })
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: SetsNamespace, a: CelValue[], b: CelValue[]) => b.every((x) => a.some((y) => celEquals(x, y))))
    .registerFunction('SetsNamespace.intersects(list, list): bool', (_: SetsNamespace, a: CelValue[], b: CelValue[]) => b.some((x) => a.some((y) => celEquals(x, y))))
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: SetsNamespace, a: CelValue[], b: CelValue[]) => a.every((x) => b.some((y) => celEquals(x, y))) && b.every((x) => a.some((y) => celEquals(x, y))),
    )
    .registerFunction('list.orValue(ast): dyn', orValueMacro as never);
}

/** A fresh environment (cel-js environments are expensive: build one per process and reuse it). */
export function createPolicyCelEnvironment(): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    // Kyverno's environment (cel.HomogeneousAggregateLiterals) refuses `['a', 1]`.
    homogeneousAggregateLiterals: true,
    unlistedVariablesAreDyn: false,
  });
  for (const name of CEL_BINDINGS) env.registerVariable(name, 'dyn');
  return registerKyvernoLibraries(registerKubernetesLibraries(registerKubernetesLibrary(env)));
}

/** The process-wide environment; compiling against one environment keeps compile-once cheap. */
export const policyCelEnvironment: () => Environment = once(createPolicyCelEnvironment);

/**
 * cel-js's built-in `matches` uses JavaScript's RegExp; CEL's is RE2. cel-js lets no overload be
 * replaced, so calls are pointed at the RE2 implementation in the parsed AST, before type checking.
 */
function useRe2(ast: unknown): void {
  forEachAstNode(ast, (node) => {
    if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(node.args) && node.args[0] === 'matches') node.args[0] = 're2Matches';
  });
}

interface HasMacro {
  readonly args: readonly { readonly op: string; readonly args: unknown }[];
  macroHasProps?: unknown[];
  typeCheck: (checker: Checker, macro: HasMacro, ctx: unknown) => TypeDecl;
}

/**
 * `has(e.f)` for any operand `e`, as cel-go's parser accepts it (parser/macro.go `MakeHas`: the
 * argument must be a field selection; its operand may be any expression, e.g.
 * `has(image.GetMetadata(c.image).config.created)`). cel-js's type check insists that the
 * selection chain starts at an identifier; its evaluation does not, so only the check is widened:
 * it records the same chain (selections, then the operand they start from) cel-js's evaluation
 * walks, and type-checks that operand. Chains that start at an identifier keep cel-js's own check.
 */
function hasOverAnyOperand(checker: Checker, macro: HasMacro, ctx: unknown): TypeDecl {
  let node = macro.args[0]!;
  if (node.op !== '.') throw checker.createError('invalid_macro_argument', 'has() invalid argument', node);
  const props: unknown[] = [];
  while (node.op === '.' || node.op === '.?') {
    props.push(node);
    node = (node.args as readonly (typeof node)[])[0]!;
  }
  checker.check(node, ctx);
  props.push(node);
  macro.macroHasProps = props;
  return checker.getType('bool');
}

function widenHas(ast: unknown): void {
  forEachAstNode(ast, (node) => {
    if (node.op !== 'call' || !Array.isArray(node.args) || node.args[0] !== 'has') return;
    const macro = (node as { meta?: { macro?: HasMacro } }).meta?.macro;
    let root = macro?.args[0];
    while (root && (root.op === '.' || root.op === '.?')) root = (root.args as readonly (typeof root)[])[0];
    if (macro && root && root.op !== 'id') macro.typeCheck = hasOverAnyOperand;
  });
}

export interface CompiledCel {
  /** Evaluates against an activation; throws on evaluation errors, including a spent cost budget. */
  readonly program: (activation: CelActivation) => unknown;
  /** cel-js's checked AST. */
  readonly ast: unknown;
  /** Estimated worst-case cost (see cost.ts). */
  readonly estimatedCost: number;
}

/**
 * Parse, point regexes at RE2, type-check, meter the expression when its estimated cost says it
 * can run away, and put the compiled fast path (fast-path.ts) in front of cel-js where it applies. Throws cel-js's parse error; returns the type error instead of throwing it.
 *
 * The result depends only on the text (the environment is fixed), and synth compiles the same
 * policies once per environment and again per gate, so each text is compiled once per process.
 * The programs hold no state of their own (the cost budget lives in cost.ts), so sharing them is safe.
 */
export const compileCel: (expression: string) => CompiledCel | { readonly typeError: unknown } = memoize(compileCelText);

function compileCelText(expression: string): CompiledCel | { readonly typeError: unknown } {
  const parsed = policyCelEnvironment().parse(expression);
  useRe2(parsed.ast);
  widenHas(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) return { typeError: checked.error };
  const estimatedCost = estimateCost(parsed.ast);
  const iterates = estimatedCost >= UNBOUNDED_ITERATIONS;
  if (iterates) meterComprehensions(parsed.ast);
  const program = withFastPath((iterates ? metered(parsed) : parsed) as unknown as CompiledCel['program'], parsed.ast, iterates);
  return { program, ast: parsed.ast, estimatedCost };
}
