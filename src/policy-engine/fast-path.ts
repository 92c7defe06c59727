/**
 * A compiled fast path for the part of CEL that policies are mostly made of: field selections
 * and optional chains (`c.?securityContext.?privileged.orValue(false)`), `filter`/`map`/`exists`/
 * `all` over lists, `size`, equality of strings, ints and bools, ordering and arithmetic of ints,
 * `&&`, `||`, `!`, `?:`, list and string `+`, `in`, `has`, list and map literals, `string`,
 * `join`, `split`, `trim` (cel-js's own: JavaScript's), `startsWith`/`endsWith`/`contains`.
 * cel-js walks such expressions node by node with run-time overload lookups, which was most of
 * an audit's CPU time; here each checked expression becomes one generated JavaScript function,
 * once, at compile time.
 *
 * It only ever answers the easy case. An expression using anything else is not compiled here at
 * all, and whenever a compiled one meets anything but the plain case at run time (a missing key,
 * a value of another type, mixed-type operands, an error of a variable, a spent cost budget) it
 * gives up and the cel-js program runs instead, from the start: CEL is pure, so every answer,
 * error or not, is cel-js's. The cost budget (cost.ts) is charged exactly as the metered cel-js
 * program charges it (comprehension sizes times their body's nodes), and given back when the
 * fast path gives up, before cel-js charges it again.
 */
import { Optional } from '@marcbachmann/cel-js';
import { chargeCost, iterationCost, metered, refundCost } from './cost.js';

type Activation = Readonly<Record<string, unknown>>;
type Program = (activation: never) => unknown;

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta?: { readonly alternate?: AstNode; readonly macro?: unknown };
}


/** Thrown when the plain case does not hold: the cel-js program decides. */
const GIVE_UP: unique symbol = Symbol('give up');
/** An absent optional value inside the fast path (never returned from it). */
const NONE: unique symbol = Symbol('optional.none');

/** Read once: a test or bench runner serves a package's named imports through a Proxy. */
const OptionalValue = Optional;

const BINDINGS: ReadonlySet<string> = new Set(['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables', 'exceptions']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const giveUp = (): never => {
  throw GIVE_UP;
};

/**
 * A value cel-js accepts as it is: a primitive, null, a list, or a map as cel-js recognises one
 * (by its constructor, so a map with a `constructor` key is left to cel-js, which refuses it).
 */
function plainValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value === undefined ? giveUp() : value;
  const constructor = (value as { constructor?: unknown }).constructor;
  return constructor === Object || constructor === undefined || constructor === Array ? value : giveUp();
}

/**
 * Where cel-js types a dyn operand at run time (operators, function arguments) it walks the
 * first element of lists and the first entry of maps, down to a scalar, and refuses an
 * unsupported value found on the way: give up on the same values so cel-js can refuse them.
 */
function typedDeep(value: unknown): unknown {
  let node = value;
  for (;;) {
    if (node === null || (typeof node !== 'object' && node !== undefined)) return value;
    const constructor = (node as { constructor?: unknown }).constructor;
    if (constructor === Array) {
      if ((node as unknown[]).length === 0) return value;
      node = (node as unknown[])[0];
    } else if (constructor === Object || constructor === undefined) {
      let first: { value: unknown } | undefined;
      for (const key in node as object) {
        first = { value: (node as Record<string, unknown>)[key] };
        break;
      }
      if (!first) return value;
      node = first.value;
    } else {
      return giveUp();
    }
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const constructor = (value as { constructor?: unknown }).constructor;
  return constructor === Object || constructor === undefined;
}

function select(target: unknown, field: string): unknown {
  if (!isMap(target) || !Object.hasOwn(target, field)) return giveUp();
  return plainValue(target[field]);
}


const bool = (value: unknown): boolean => (typeof value === 'boolean' ? value : giveUp());
const string = (value: unknown): string => (typeof value === 'string' ? value : giveUp());
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : giveUp());

/** `==` when both sides are strings, bools or ints; anything else (heterogeneous equality, lists, maps, doubles) is left to cel-js. */
function equal(left: unknown, right: unknown): boolean {
  const type = typeof left;
  if (type !== typeof right || (type !== 'string' && type !== 'boolean' && type !== 'bigint')) return giveUp();
  return left === right;
}

/** Ordering of two ints; strings (code point order), doubles and mixed types are left to cel-js. */
function compare(left: unknown, right: unknown): number {
  if (typeof left !== 'bigint' || typeof right !== 'bigint') return giveUp();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** An int result, or give up where cel-js reports an overflow. */
const int64 = (value: bigint): bigint => (value < INT64_MIN || value > INT64_MAX ? giveUp() : value);

function add(left: unknown, right: unknown): unknown {
  if (typeof left === 'string' && typeof right === 'string') return left + right;
  if (Array.isArray(left) && Array.isArray(right)) return (typedDeep(left) as unknown[]).concat(typedDeep(right));
  if (typeof left === 'bigint' && typeof right === 'bigint') return int64(left + right);
  return giveUp();
}

function contains(collection: unknown, item: unknown): boolean {
  typedDeep(collection);
  if (isMap(collection)) return typeof item === 'string' ? Object.hasOwn(collection, item) : giveUp();
  let found = false;
  for (const element of list(collection)) if (equal(element, item)) found = true;
  return found;
}

/** Charges of the running fast-path call itself (not of the programs it calls), refunded when it gives up. */
let ownCharges = 0;

/** A comprehension's list, its iterations charged to the budget as the metered cel-js comprehension charges them. */
function chargedItems(value: unknown, perIteration: number): readonly unknown[] {
  const items = list(value);
  const units = 1 + items.length * perIteration;
  ownCharges += units;
  chargeCost(units);
  return items;
}

/** What generated code calls: the checks above, by short names. */
const HELPERS = {
  G: giveUp,
  NONE,
  M: isMap,
  P: plainValue,
  O: Object.hasOwn,
  B: bool,
  S: string,
  L: list,
  EQ: equal,
  CMP: compare,
  ADD: add,
  IN: contains,
  IX: (target: unknown, key: unknown) => {
    if (Array.isArray(target) && typeof key === 'bigint') return key >= 0n && key < BigInt(target.length) ? plainValue(target[Number(key)]) : giveUp();
    return typeof key === 'string' ? select(target, key) : giveUp();
  },
  SUB: (left: unknown, right: unknown) => (typeof left === 'bigint' && typeof right === 'bigint' ? int64(left - right) : giveUp()),
  MUL: (left: unknown, right: unknown) => (typeof left === 'bigint' && typeof right === 'bigint' ? int64(left * right) : giveUp()),
  NEG: (value: unknown) => (typeof value === 'bigint' && value !== INT64_MIN ? -value : giveUp()),
  STR: (value: unknown) => (typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : giveUp()),
  SZ: (value: unknown) => BigInt(list(typedDeep(value)).length),
  DYN: typedDeep,
  NOTOPT: (value: unknown) => (value instanceof OptionalValue ? giveUp() : value),
  CI: chargedItems,
  JOIN: (value: unknown, separator: string) => list(typedDeep(value)).map(string).join(separator),
  // cel-js checks the type of a present field's value, as a selection does.
  HAS: (value: unknown, field: string) => (isMap(value) ? Object.hasOwn(value, field) && (plainValue(value[field]), true) : giveUp()),
};

/** A JavaScript expression for a node, and whether its value is optional (then it is the value or NONE). */
interface Code {
  readonly js: string;
  readonly optional: boolean;
}

const plain = (js: string): Code => ({ js, optional: false });
const literal = (value: string): string => JSON.stringify(value);

/**
 * Turns a checked cel-js AST into the source of one JavaScript function. Every name in the source
 * is generated (iteration variables become v0, v1, …; temporaries t0, t1, …) and every string from
 * the expression is a JSON string literal, so nothing of the policy's text is code. Each
 * expression gets its own function, so V8 optimizes each on the shapes it actually meets.
 */
class Generator {
  /** Iteration variables in scope, innermost last. */
  private readonly scope: { readonly name: string; readonly js: string }[] = [];
  /** Temporaries of each function being generated, innermost last. */
  private readonly temporaries: string[][] = [[]];
  private counter = 0;

  constructor(private readonly meteredProgram: boolean) {}

  private temporary(): string {
    const name = `t${this.counter++}`;
    this.temporaries.at(-1)!.push(name);
    return name;
  }

  /** `return <expression>` with the temporaries it uses declared. */
  body(js: string): string {
    const declared = this.temporaries.at(-1)!;
    return `${declared.length > 0 ? `let ${declared.join(', ')}; ` : ''}return ${js};`;
  }

  /** The code of a node, or undefined when it uses something the fast path does not do. */
  node(node: unknown): Code | undefined {
    if (!isNode(node)) return undefined;
    if (node.meta?.macro !== undefined && node.op !== 'call' && node.op !== 'rcall') return undefined;
    const args = node.args;
    switch (node.op) {
      case 'value':
        return this.constant(args);
      case 'id':
        return this.identifier(args);
      case '.':
      case '.?':
        return this.selection(node.op, args);
      case '[]':
        return this.operator(args, 2, ([t, k]) => `IX(${t}, ${k})`);
      case '!_':
        return this.operator([args], 1, ([x]) => `!B(${x})`);
      case '-_':
        return this.operator([args], 1, ([x]) => `NEG(${x})`);
      case '&&':
        return this.operator(args, 2, ([l, r]) => `(B(${l}) && B(${r}))`);
      case '||':
        return this.operator(args, 2, ([l, r]) => `(B(${l}) || B(${r}))`);
      case '?:':
        return this.operator(args, 3, ([c, t, e]) => `(B(${c}) ? ${t} : ${e})`);
      case '==':
        return this.operator(args, 2, ([l, r]) => `EQ(${l}, ${r})`);
      case '!=':
        return this.operator(args, 2, ([l, r]) => `!EQ(${l}, ${r})`);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.operator(args, 2, ([l, r]) => `(CMP(${l}, ${r}) ${node.op} 0)`);
      case '+':
        return this.operator(args, 2, ([l, r]) => `ADD(${l}, ${r})`);
      case '-':
        return this.operator(args, 2, ([l, r]) => `SUB(${l}, ${r})`);
      case '*':
        return this.operator(args, 2, ([l, r]) => `MUL(${l}, ${r})`);
      case 'in':
        return this.operator(args, 2, ([item, collection]) => `IN(${collection}, ${item})`);
      case 'list':
        return Array.isArray(args) ? this.operator(args, args.length, (elements) => `[${elements.join(', ')}]`) : undefined;
      case 'map':
        return this.mapLiteral(args);
      case 'call':
        return this.call(node);
      case 'rcall':
        return this.receiverCall(node);
      default:
        return undefined;
    }
  }

  private constant(value: unknown): Code | undefined {
    switch (typeof value) {
      case 'bigint':
        return plain(`${value}n`);
      case 'string':
        return plain(literal(value));
      case 'boolean':
        return plain(String(value));
      case 'number':
        return plain(Number.isFinite(value) && !Object.is(value, -0) ? `(${value})` : Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '(-0)' : value > 0 ? 'Infinity' : '(-Infinity)');
      default:
        return value === null ? plain('null') : undefined;
    }
  }

  /** Code of non-optional nodes, combined by `combine`; undefined unless there are exactly `count`. */
  private operator(args: unknown, count: number, combine: (js: string[]) => string): Code | undefined {
    if (!Array.isArray(args) || args.length !== count) return undefined;
    const parts: string[] = [];
    for (const arg of args) {
      const code = this.node(arg);
      if (!code || code.optional) return undefined;
      parts.push(code.js);
    }
    return plain(combine(parts));
  }

  private identifier(name: unknown): Code | undefined {
    if (typeof name !== 'string') return undefined;
    for (let i = this.scope.length - 1; i >= 0; i--) if (this.scope[i]!.name === name) return plain(this.scope[i]!.js);
    // cel-js checks the type of a binding's value when it reads it.
    return BINDINGS.has(name) ? plain(`P(a[${literal(name)}])`) : undefined;
  }

  /** `t.f` read in place (a property load V8 caches per site), an own property of a map, else give up. */
  private selection(op: string, args: unknown): Code | undefined {
    if (!Array.isArray(args) || typeof args[1] !== 'string') return undefined;
    const field = literal(args[1]);
    const target = this.node(args[0]);
    if (!target) return undefined;
    const t = this.temporary();
    const v = this.temporary();
    const read = (absent: string) => `(M(${t}) ? ((${v} = ${t}[${field}]) !== undefined && O(${t}, ${field}) ? P(${v}) : ${absent}) : G())`;
    // After an optional, a plain selection is optional too (`x.?a.b`).
    if (target.optional) return { optional: true, js: `((${t} = ${target.js}) === NONE ? NONE : ${read('NONE')})` };
    if (op === '.?') return { optional: true, js: `(${t} = ${target.js}, ${read('NONE')})` };
    return plain(`(${t} = ${target.js}, ${read('G()')})`);
  }

  /** Map literals with distinct string-literal keys (cel-js builds a plain object, leaving out `__proto__`, `constructor`, `prototype`). */
  private mapLiteral(args: unknown): Code | undefined {
    if (!Array.isArray(args)) return undefined;
    const keys: string[] = [];
    const entries: string[] = [];
    for (const entry of args) {
      if (!Array.isArray(entry) || entry.length !== 2) return undefined;
      const [key, value] = entry as [unknown, unknown];
      if (!isNode(key) || key.op !== 'value' || typeof key.args !== 'string') return undefined;
      if (keys.includes(key.args) || ['__proto__', 'constructor', 'prototype'].includes(key.args)) return undefined;
      const code = this.node(value);
      if (!code || code.optional) return undefined;
      keys.push(key.args);
      entries.push(`${literal(key.args)}: ${code.js}`);
    }
    return plain(`({${entries.join(', ')}})`);
  }

  private call(node: AstNode): Code | undefined {
    const [name, callArgs] = node.args as [unknown, unknown];
    if (!Array.isArray(callArgs) || callArgs.length !== 1) return undefined;
    if (name === 'has') return this.has(callArgs[0]);
    if (node.meta?.macro !== undefined || node.meta?.alternate !== undefined) return undefined;
    switch (name) {
      case 'size':
        return this.operator(callArgs, 1, ([x]) => `SZ(${x})`);
      case 'dyn':
        return this.operator(callArgs, 1, ([x]) => `DYN(${x})`);
      case 'string':
        return this.operator(callArgs, 1, ([x]) => `STR(${x})`);
      default:
        return undefined;
    }
  }

  /** `has(x.f)` with `x` evaluated as a plain selection chain (optional chains are left to cel-js). */
  private has(arg: unknown): Code | undefined {
    if (!isNode(arg) || arg.op !== '.' || !Array.isArray(arg.args) || typeof arg.args[1] !== 'string') return undefined;
    for (let node: unknown = arg; isNode(node) && (node.op === '.' || node.op === '.?'); node = (node.args as unknown[])[0]) if (node.op === '.?') return undefined;
    const field = literal(arg.args[1]);
    return this.operator([arg.args[0]], 1, ([t]) => `HAS(${t}, ${field})`);
  }

  private receiverCall(node: AstNode): Code | undefined {
    const [name, receiver, callArgs] = node.args as [unknown, unknown, unknown];
    if (!Array.isArray(callArgs)) return undefined;
    if (node.meta?.alternate !== undefined) return this.comprehension(name, receiver, callArgs, node.meta.alternate);
    if (name === 'orValue' && callArgs.length === 1) return this.orValue(receiver, callArgs[0]);
    if (node.meta?.macro !== undefined) return undefined;
    const all = [receiver, ...callArgs];
    switch (`${String(name)}/${callArgs.length}`) {
      case 'startsWith/1':
        return this.operator(all, 2, ([r, x]) => `S(${r}).startsWith(S(${x}))`);
      case 'endsWith/1':
        return this.operator(all, 2, ([r, x]) => `S(${r}).endsWith(S(${x}))`);
      case 'contains/1':
        return this.operator(all, 2, ([r, x]) => `S(${r}).includes(S(${x}))`);
      case 'size/0':
        return this.operator(all, 1, ([r]) => `SZ(${r})`);
      case 'split/1':
        return this.operator(all, 2, ([r, x]) => `S(${r}).split(S(${x}))`);
      case 'trim/0':
        return this.operator(all, 1, ([r]) => `S(${r}).trim()`);
      case 'join/0':
        return this.operator(all, 1, ([r]) => `JOIN(${r}, '')`);
      case 'join/1':
        return this.operator(all, 2, ([r, x]) => `JOIN(${r}, S(${x}))`);
      default:
        return undefined;
    }
  }

  /** `x.orValue(d)`: d when the optional x is absent; a non-optional x is returned as it is (cel-env.ts's compatibility macro). */
  private orValue(receiverNode: unknown, fallbackNode: unknown): Code | undefined {
    const receiver = this.node(receiverNode);
    const fallback = this.node(fallbackNode);
    if (!receiver || !fallback || fallback.optional) return undefined;
    if (!receiver.optional) return plain(`NOTOPT(${receiver.js})`);
    const t = this.temporary();
    return plain(`((${t} = ${receiver.js}) === NONE ? ${fallback.js} : ${t})`);
  }

  /** `filter`, `map`, `exists` and `all` over a list, as a loop in an arrow function of its own. */
  private comprehension(name: unknown, receiverNode: unknown, callArgs: readonly unknown[], expansion: AstNode): Code | undefined {
    if (callArgs.length !== 2 || !['filter', 'map', 'exists', 'all'].includes(name as string)) return undefined;
    const [variable, bodyNode] = callArgs as [unknown, unknown];
    if (!isNode(variable) || variable.op !== 'id' || typeof variable.args !== 'string') return undefined;
    const receiver = this.node(receiverNode);
    if (!receiver || receiver.optional) return undefined;
    const item = `v${this.counter++}`;
    this.scope.push({ name: variable.args, js: item });
    this.temporaries.push([]);
    const body = this.node(bodyNode);
    const declared = this.temporaries.pop()!;
    this.scope.pop();
    if (!body || body.optional) return undefined;
    const items = this.meteredProgram ? `CI(${receiver.js}, ${iterationCost(expansion)})` : `L(${receiver.js})`;
    const loop = (init: string, step: string, result: string) =>
      `((items) => { ${declared.length > 0 ? `let ${declared.join(', ')}; ` : ''}${init}for (let i = 0; i < items.length; i++) { const ${item} = P(items[i]); ${step} } return ${result}; })(${items})`;
    switch (name) {
      case 'filter':
        return plain(loop('const out = []; ', `if (B(${body.js})) out.push(${item});`, 'out'));
      case 'map':
        return plain(loop('const out = []; ', `out.push(${body.js});`, 'out'));
      case 'exists':
        return plain(loop('', `if (B(${body.js})) return true;`, 'false'));
      default:
        return plain(loop('', `if (!B(${body.js})) return false;`, 'true'));
    }
  }
}

const isNode = (x: unknown): x is AstNode => typeof x === 'object' && x !== null && typeof (x as { op?: unknown }).op === 'string' && 'args' in x;

/** The generated function of a checked expression, or undefined when the fast path does not do all of it. */
function generate(ast: unknown, meteredProgram: boolean): ((activation: Activation) => unknown) | undefined {
  const generator = new Generator(meteredProgram);
  const root = generator.node(ast);
  if (!root || root.optional) return undefined;
  const names = Object.keys(HELPERS);
  // Generated from the checked AST only (see Generator): no text of the policy becomes code.
  const factory = new Function(...names, `return function fastPath(a) { ${generator.body(root.js)} };`) as (...helpers: unknown[]) => (activation: Activation) => unknown;
  return factory(...names.map((name) => HELPERS[name as keyof typeof HELPERS]));
}

/**
 * `program` with the fast path in front when the checked expression `ast` is made only of what
 * the fast path does; `meteredProgram` says whether `program` is metered (cost.ts), and then the
 * fast path is metered the same way.
 */
export function withFastPath<P extends Program>(program: P, ast: unknown, meteredProgram: boolean): P {
  const fn = generate(ast, meteredProgram);
  if (!fn) return program;
  const fast = (activation: Activation) => {
    const outer = ownCharges;
    ownCharges = 0;
    try {
      return fn(activation);
    } catch {
      refundCost(ownCharges);
      ownCharges = 0;
      return program(activation as never);
    } finally {
      ownCharges = outer;
    }
  };
  return (meteredProgram ? metered(fast) : fast) as unknown as P;
}

/** Whether the fast path takes the checked expression `ast` (for tests). */
export function hasFastPath(ast: unknown): boolean {
  return generate(ast, false) !== undefined;
}
