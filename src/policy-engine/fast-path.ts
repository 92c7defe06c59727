/**
 * A shortcut for the validation shape nearly every policy of a set uses: `size(variables.<name>)
 * == 0` ("the list of offending things is empty"), alone or as `||` of such checks (a cheap guard
 * first). cel-js evaluates each through five dynamically typed nodes with run-time overload
 * lookups, a large share of an audit's CPU time; for variables holding lists the answer is their
 * length. Whenever the shortcut cannot decide (a variable that is not a list, a missing variable,
 * an error) the cel-js program runs instead, so results, errors included, cannot differ.
 */
import type { CelActivation } from './cel-env.js';
import type { Program } from './memo.js';

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

const isNode = (x: unknown): x is AstNode => typeof x === 'object' && x !== null && 'op' in x && 'args' in x;

/** true/false when decided, undefined when the cel-js program has to run. */
type Check = (variables: Record<string, unknown>) => boolean | undefined;

/** The variable name when `ast` is exactly `size(variables.<name>) == 0`. */
function emptinessCheckOf(ast: AstNode): string | undefined {
  if (ast.op !== '==' || !Array.isArray(ast.args)) return undefined;
  const [call, zero] = ast.args as unknown[];
  if (!isNode(zero) || zero.op !== 'value' || zero.args !== 0n) return undefined;
  if (!isNode(call) || call.op !== 'call' || !Array.isArray(call.args)) return undefined;
  const [name, callArgs] = call.args as unknown[];
  if (name !== 'size' || !Array.isArray(callArgs) || callArgs.length !== 1) return undefined;
  const access: unknown = callArgs[0];
  if (!isNode(access) || access.op !== '.' || !Array.isArray(access.args)) return undefined;
  const [target, field] = access.args as unknown[];
  return isNode(target) && target.op === 'id' && target.args === 'variables' && typeof field === 'string' ? field : undefined;
}

/** A Check for `ast`, or undefined when it is not made only of emptiness checks and `||`. */
export function fastCheckOf(ast: unknown): Check | undefined {
  if (!isNode(ast)) return undefined;
  if (ast.op === '||' && Array.isArray(ast.args)) {
    const [left, right] = (ast.args as unknown[]).map(fastCheckOf);
    if (!left || !right) return undefined;
    // CEL's `||`: true wins, so only a decided false on the left hands over to the right.
    return (variables) => {
      const l = left(variables);
      return l === true ? true : l === false ? right(variables) : undefined;
    };
  }
  const name = emptinessCheckOf(ast);
  if (name === undefined) return undefined;
  return (variables) => {
    let value: unknown;
    try {
      // As cel-js reads a field: own properties only. A variable's error is left to the program.
      value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    } catch {
      return undefined;
    }
    return Array.isArray(value) ? value.length === 0 : undefined;
  };
}

/** `program`, answered by its fast check when it has one and that check decides. */
export function withFastPath(program: Program, ast: unknown): Program {
  const check = fastCheckOf(ast);
  if (!check) return program;
  return (activation: CelActivation) => {
    const variables = activation.variables;
    const decided = typeof variables === 'object' && variables !== null ? check(variables as Record<string, unknown>) : undefined;
    return decided ?? program(activation);
  };
}
