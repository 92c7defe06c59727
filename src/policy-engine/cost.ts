/**
 * A cost budget for CEL evaluation, after Kubernetes' (k8s.io/apiserver/pkg/admission/plugin/cel:
 * `PerCallLimit`, 1,000,000 cost units per expression): a runaway expression (nested
 * comprehensions over large maps) stops with an error result instead of hanging the gate.
 *
 * Estimated at compile: `estimateCost` walks the checked AST; an expression without
 * comprehensions costs its node count and is never metered. Enforced at run time: every
 * iteration of every comprehension of a metered expression charges one unit (plus the regex
 * functions charge their input length, as cel-go's cost model does), and the budget is shared by
 * an expression and the variables it computes on the way, as a Kubernetes call's budget is.
 */

/** Kubernetes' per-call runtime cost limit for admission CEL. */
export const PER_CALL_COST_LIMIT = 1_000_000;

/** Kubernetes' own wording, so users find the Kubernetes documentation for it. */
export class CostLimitExceeded extends Error {
  constructor() {
    super('operation cancelled: actual cost limit exceeded');
    this.name = 'CostLimitExceeded';
  }
}

let remaining = PER_CALL_COST_LIMIT;
let depth = 0;

/** Charge `units` to the running metered evaluation's budget (outside one, nothing can run away). */
export function chargeCost(units: number): void {
  if (depth === 0) return;
  remaining -= units;
  if (remaining < 0) throw new CostLimitExceeded();
}

/** Give back `units` charged by an attempt whose work is redone (fast-path.ts falling back to cel-js). */
export function refundCost(units: number): void {
  if (depth > 0) remaining += units;
}

type Program = (activation: never) => unknown;

/** `program` with a fresh budget per top-level call (nested calls share their caller's). */
export function metered<P extends Program>(program: P): P {
  return ((activation: never) => {
    if (depth === 0) remaining = PER_CALL_COST_LIMIT;
    depth++;
    try {
      return program(activation);
    } finally {
      depth--;
    }
  }) as P;
}

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta?: { readonly alternate?: AstNode; readonly macro?: { readonly args?: unknown; readonly exp?: unknown; readonly val?: unknown } };
  evaluate: (evaluator: unknown, ast: unknown, ctx: unknown) => unknown;
}

const isNode = (value: unknown): value is AstNode =>
  value !== null && typeof value === 'object' && typeof (value as { op?: unknown }).op === 'string' && 'args' in (value as object);

/** Children of a cel-js AST node, including macro expansions (comprehensions live there). */
function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const visit = (value: unknown): void => {
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object' && !(value instanceof Function)) for (const v of Object.values(value)) if (isNode(v) || Array.isArray(v)) visit(v);
  };
  visit(node.args);
  if (node.meta?.alternate) out.push(node.meta.alternate);
  const macro = node.meta?.macro;
  if (macro) for (const part of [macro.args, macro.val, macro.exp]) visit(part);
  return out;
}

/** Assumed iterations of a comprehension over data of unknown size: Kubernetes' largest request (3 MiB) in 2-byte elements. */
export const UNBOUNDED_ITERATIONS = 1_572_864;

/** Estimated worst-case cost of an expression: its nodes, times the assumed iterations for each comprehension level. */
export function estimateCost(ast: unknown): number {
  const cost = (node: AstNode): number => {
    if (node.op === 'comprehension') {
      const { iterable, step, init } = node.args as { iterable?: unknown; step?: unknown; init?: unknown };
      const part = (v: unknown) => (isNode(v) ? cost(v) : 0);
      return 1 + part(iterable) + part(init) + UNBOUNDED_ITERATIONS * (1 + part(step));
    }
    let total = 1;
    for (const child of children(node)) total += cost(child);
    return total;
  };
  return isNode(ast) ? cost(ast) : 0;
}

/** Visit every node of a cel-js AST once, macro expansions included. */
export function forEachAstNode(ast: unknown, visit: (node: { op: string; args: unknown }) => void): void {
  const seen = new Set<AstNode>();
  const walk = (node: AstNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    visit(node);
    for (const child of children(node)) walk(child);
  };
  if (isNode(ast)) walk(ast);
}

/**
 * Make every comprehension of `ast` charge its iterations (times its body's size) when it starts. Charging there,
 * not inside the loop body, matters: `all` and `exists` absorb errors of their elements, so an
 * error thrown by the body would let the loop run on; one thrown at the start of an inner loop is
 * absorbed too, but then every further inner loop stops at once, so the outer loop ends quickly.
 */
export function meterComprehensions(ast: unknown): void {
  forEachAstNode(ast, (node) => {
    if (node.op !== 'comprehension') return;
    const comprehension = node as unknown as { handle?: (items: unknown, ...rest: unknown[]) => unknown };
    const handle = comprehension.handle;
    if (typeof handle !== 'function') return;
    const perIteration = iterationCost(node);
    comprehension.handle = (items: unknown, ...rest: unknown[]) => {
      chargeCost(1 + sizeOf(items) * perIteration);
      return handle(items, ...rest);
    };
  });
}

/** What one iteration of a comprehension node costs: as in cel-go's cost model, its body's nodes. */
export function iterationCost(comprehension: { args: unknown }): number {
  let nodes = 0;
  forEachAstNode((comprehension.args as { step?: unknown }).step, () => nodes++);
  return Math.max(1, nodes);
}

function sizeOf(items: unknown): number {
  if (Array.isArray(items)) return items.length;
  if (items instanceof Map || items instanceof Set) return items.size;
  if (items && typeof items === 'object') return Object.keys(items).length;
  return 0;
}
