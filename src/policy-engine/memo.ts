/**
 * Sharing CEL results between policies for one object. Policies of a set often define the same
 * variable (`containers`, `hostPaths`...) or exception condition with the same text; CEL is pure,
 * so for one object the value is the same in every policy. An expression is shared when its text
 * and the variables it reads (recursively) are identical and it does not read `exceptions`, which
 * differs per policy. Values and errors are kept per object and dropped when the next one starts.
 */
import type { CelActivation } from './cel-env.js';

export type Program = (activation: CelActivation) => unknown;

/** What an expression reads of `variables` and whether the set is statically known. */
export interface Dependencies {
  readonly variables: ReadonlySet<string>;
  /** True when the expression reads `exceptions`, or `variables` other than as `variables.<name>`. */
  readonly unshareable: boolean;
  /** True when it reads the object or the request (`object`, `oldObject`, `request`, `namespaceObject`, `params`). */
  readonly readsInput: boolean;
  /** True when it reads `namespaceObject` (conservatively: any identifier of that name). */
  readonly readsNamespaceObject: boolean;
}

const INPUT_BINDINGS: ReadonlySet<unknown> = new Set(['object', 'oldObject', 'request', 'namespaceObject', 'params']);

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

const isNode = (x: unknown): x is AstNode => typeof x === 'object' && x !== null && 'op' in x && 'args' in x;

/** Walk a cel-js AST for `variables.<name>` reads and other uses of `variables`/`exceptions`. */
export function dependenciesOf(ast: unknown): Dependencies {
  const variables = new Set<string>();
  let unshareable = false;
  let readsInput = false;
  let readsNamespaceObject = false;
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!isNode(x)) return;
    if ((x.op === '.' || x.op === '.?') && Array.isArray(x.args)) {
      const [target, field] = x.args as [unknown, unknown];
      if (isNode(target) && target.op === 'id' && target.args === 'variables' && typeof field === 'string') {
        variables.add(field);
        return;
      }
    }
    if (x.op === 'id' && (x.args === 'variables' || x.args === 'exceptions')) unshareable = true;
    // Conservative: a comprehension variable named like a binding also counts as reading input.
    if (x.op === 'id' && INPUT_BINDINGS.has(x.args)) readsInput = true;
    if (x.op === 'id' && x.args === 'namespaceObject') readsNamespaceObject = true;
    visit(x.args);
  };
  visit(ast);
  return { variables, unshareable, readsInput, readsNamespaceObject };
}

/**
 * Per-object memo of shared expressions, addressed by slots handed out at compile time. A
 * constant slot (an expression that reads no input, such as a list of allowed paths) keeps its
 * value for every object.
 */
export class ObjectMemo {
  private readonly slots = new Map<string, number>();
  private generation = 0;
  private readonly computedAt: number[] = [];
  private readonly values: unknown[] = [];
  private readonly failed: boolean[] = [];
  private readonly constant: boolean[] = [];

  /** The slot for a sharing key (same key, same slot). */
  slot(key: string, constant = false): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
      this.computedAt.push(-1);
      this.values.push(undefined);
      this.failed.push(false);
      this.constant.push(constant);
    }
    return slot;
  }

  /** Forget every value: a new object is being evaluated. */
  nextObject(): void {
    this.generation++;
  }

  run(slot: number, program: Program, activation: CelActivation): unknown {
    const computedAt = this.computedAt[slot]!;
    if (computedAt !== this.generation && !(this.constant[slot] && computedAt >= 0)) {
      try {
        this.values[slot] = program(activation);
        this.failed[slot] = false;
      } catch (error) {
        this.values[slot] = error;
        this.failed[slot] = true;
      }
      this.computedAt[slot] = this.generation;
    }
    if (this.failed[slot]) throw this.values[slot];
    return this.values[slot];
  }
}
