/**
 * Compile once: every CEL expression of a policy, its autogen variants and the exceptions that
 * name it becomes a cel-js program here, before any object is evaluated. Compile errors name the
 * file, the policy, the field (`spec.validations[2].expression`) and the position inside the CEL.
 */
import { UserInputError } from '../common/errors.js';
import { formatFieldPath, positionOf } from '../common/yaml-source.js';
import { autogenVariants } from './autogen.js';
import { compileCel, type CelActivation } from './cel-env.js';
import type { Loaded } from './load-policies.js';
import { dependenciesOf, type Dependencies, type ObjectMemo, type Program } from './memo.js';
import type { MatchConstraints, PolicyException, ValidatingPolicy, ValidatingPolicySpec } from './schema.js';

export type { Program } from './memo.js';

const EXCEPTION_PRIORITY = 'polex.kyverno.io/priority';

/** A compiled expression and, when it may be shared between policies, its memo slot (else -1). */
export interface SharedProgram {
  readonly program: Program;
  readonly slot: number;
}

export interface CompiledException {
  /** `namespace/name`, the key Kyverno reports. */
  readonly key: string;
  readonly matchConditions: readonly SharedProgram[];
  readonly images: readonly string[];
  readonly allowedValues: readonly string[];
  readonly reportResult: 'skip' | 'pass';
  /** `polex.kyverno.io/priority` (an integer label, else 0): among matching exceptions the highest above 0 decides reportResult. */
  readonly priority: number;
  readonly readsNamespaceObject: boolean;
}

export interface CompiledValidation {
  readonly program: Program;
  readonly message: string | undefined;
  readonly messageExpression: Program | undefined;
}

const enum VariableState {
  Computing,
  Done,
  Failed,
}

export interface CompiledVariable extends SharedProgram {
  readonly name: string;
}

/**
 * Lazily evaluated `variables.<name>`, computed at most once per evaluation. The bag is built once
 * per policy with getters, so an evaluation allocates nothing for it: `begin` just moves the
 * generation on and swaps the activation. Variables other policies share live in the ObjectMemo.
 */
export class VariableScope {
  readonly bag: Record<string, unknown> = {};
  private activation: CelActivation | undefined;
  private generation = 0;
  private readonly computedAt: number[];
  private readonly values: unknown[];
  private readonly states: VariableState[];

  constructor(
    variables: readonly CompiledVariable[],
    private readonly memo: ObjectMemo,
  ) {
    this.computedAt = variables.map(() => -1);
    this.values = variables.map(() => undefined);
    this.states = variables.map(() => VariableState.Done);
    variables.forEach((variable, index) => {
      const get =
        variable.slot >= 0 ? () => this.memo.run(variable.slot, variable.program, this.activation!) : () => this.value(index, variable);
      Object.defineProperty(this.bag, variable.name, { enumerable: true, get });
    });
  }

  begin(activation: CelActivation): void {
    this.activation = activation;
    this.generation++;
  }

  private value(index: number, { name, program }: CompiledVariable): unknown {
    if (this.computedAt[index] !== this.generation) {
      this.computedAt[index] = this.generation;
      this.states[index] = VariableState.Computing;
      try {
        this.values[index] = program(this.activation!);
        this.states[index] = VariableState.Done;
      } catch (error) {
        this.values[index] = error;
        this.states[index] = VariableState.Failed;
      }
    }
    switch (this.states[index]) {
      case VariableState.Done:
        return this.values[index];
      case VariableState.Failed:
        throw this.values[index];
      default:
        throw new Error(`variable ${name} refers to itself`);
    }
  }
}

export interface CompiledVariant {
  readonly loaded: Loaded<ValidatingPolicy>;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly kind: ValidatingPolicy['kind'];
  /** Which autogen variant this is (`defaults`, `cronjobs`), undefined for the policy as written. */
  readonly autogen: string | undefined;
  readonly matchConstraints: MatchConstraints | undefined;
  readonly matchConditions: readonly SharedProgram[];
  readonly variables: VariableScope;
  readonly validations: readonly CompiledValidation[];
  /** `spec.auditAnnotations`: evaluated for every matched request, as Kubernetes does; a null value adds nothing. */
  readonly auditAnnotations: readonly { readonly key: string; readonly program: Program }[];
  readonly exceptions: readonly CompiledException[];
  /** `failurePolicy: Ignore` turns matchCondition errors into "not matched". */
  readonly ignoreFailures: boolean;
  /** Some expression of the variant or of its exceptions reads `namespaceObject`. */
  readonly readsNamespaceObject: boolean;
}

interface Compiled {
  readonly program: Program;
  readonly dependencies: Dependencies;
}

/** Compiles expressions against the shared environment, reusing programs for repeated text. */
export class CelCompiler {
  private readonly cache = new Map<string, Compiled>();

  constructor(readonly memo: ObjectMemo) {}

  compile(expression: string, origin: Loaded<unknown>['origin'], path: readonly (string | number)[], owner: string): Compiled {
    const cached = this.cache.get(expression);
    if (cached) return cached;
    let result: ReturnType<typeof compileCel>;
    try {
      result = compileCel(expression);
    } catch (error) {
      throw celError(error, expression, origin, path, owner, 'syntax error');
    }
    if ('typeError' in result) throw celError(result.typeError, expression, origin, path, owner, 'type error');
    const compiled = { program: result.program as Program, dependencies: dependenciesOf(result.ast) };
    this.cache.set(expression, compiled);
    return compiled;
  }

  /** Whether an expression compiled here reads `namespaceObject`. */
  readsNamespaceObject(expression: string): boolean {
    return this.cache.get(expression)?.dependencies.readsNamespaceObject ?? false;
  }

  /** A condition that reads neither `variables` nor `exceptions` is shared by its text. */
  condition(expression: string, origin: Loaded<unknown>['origin'], path: readonly (string | number)[], owner: string): SharedProgram {
    const { program, dependencies } = this.compile(expression, origin, path, owner);
    const pure = !dependencies.unshareable && dependencies.variables.size === 0;
    return { program, slot: pure ? this.memo.slot(`condition\u0000${expression}`) : -1 };
  }
}

/**
 * Sharing keys of a policy's variables: the text plus the keys of the variables it reads, so two
 * policies share a variable only when everything it depends on is the same. Cycles, unknown
 * variables and reads of `exceptions` are not shared.
 */
interface VariableKey {
  readonly key: string;
  /** Reads no input, directly or through the variables it reads: one value for every object. */
  readonly constant: boolean;
}

function variableKeys(variables: readonly { readonly name: string; readonly expression: string; readonly dependencies: Dependencies }[]) {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const keys = new Map<string, VariableKey | undefined>();
  const keyOf = (name: string, visiting: ReadonlySet<string>): VariableKey | undefined => {
    if (keys.has(name)) return keys.get(name);
    const variable = byName.get(name);
    if (!variable || visiting.has(name) || variable.dependencies.unshareable) return undefined;
    const parts: string[] = [];
    let constant = !variable.dependencies.readsInput;
    for (const dependency of [...variable.dependencies.variables].sort()) {
      const found = keyOf(dependency, new Set([...visiting, name]));
      if (found === undefined) return undefined;
      parts.push(`${dependency}=${found.key}`);
      constant &&= found.constant;
    }
    const key = { key: [variable.expression, ...parts].join('\u0000'), constant };
    keys.set(name, key);
    return key;
  };
  return (name: string) => keyOf(name, new Set());
}

function celError(
  error: unknown,
  expression: string,
  origin: Loaded<unknown>['origin'],
  path: readonly (string | number)[],
  owner: string,
  kind: string,
): UserInputError {
  const e = error as { summary?: string; message?: string; range?: { start: number } };
  const offset = e.range?.start ?? 0;
  const before = expression.slice(0, offset).split('\n');
  const celPosition = `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
  const summary = e.summary ?? String(e.message ?? error).split('\n')[0];
  return new UserInputError(`${owner}: CEL ${kind} at ${celPosition} of the expression: ${summary}`, {
    position: positionOf(origin.source, [...origin.path, ...path]),
    field: formatFieldPath(path),
    cause: error,
  });
}

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else. */
function priorityOf(label: string | undefined): number {
  return label !== undefined && /^[+-]?\d+$/.test(label) ? Number(label) : 0;
}

function compileExceptions(
  compiler: CelCompiler,
  policy: ValidatingPolicy,
  exceptions: readonly Loaded<PolicyException>[],
): CompiledException[] {
  return exceptions
    // Kyverno lists no expired exception (PolicyException.IsExpired: now after spec.expiresAt).
    .filter(({ value }) => value.spec.expiresAt === undefined || !(Date.now() > Date.parse(value.spec.expiresAt)))
    .filter(({ value }) => value.spec.policyRefs.some((ref) => ref.name === policy.metadata.name && ref.kind === policy.kind))
    .map(({ value, origin }) => ({
      key: value.metadata.namespace ? `${value.metadata.namespace}/${value.metadata.name}` : value.metadata.name,
      matchConditions: (value.spec.matchConditions ?? []).map((condition, index) =>
        compiler.condition(condition.expression, origin, ['spec', 'matchConditions', index, 'expression'], `PolicyException ${value.metadata.name}`),
      ),
      images: value.spec.images ?? [],
      allowedValues: value.spec.allowedValues ?? [],
      reportResult: value.spec.reportResult ?? 'skip',
      priority: priorityOf(value.metadata.labels?.[EXCEPTION_PRIORITY]),
      readsNamespaceObject: (value.spec.matchConditions ?? []).some((condition) => compiler.readsNamespaceObject(condition.expression)),
    }));
}

function compileSpec(
  compiler: CelCompiler,
  loaded: Loaded<ValidatingPolicy>,
  spec: ValidatingPolicySpec,
  autogen: string | undefined,
  exceptions: readonly CompiledException[],
): CompiledVariant {
  const { value: policy, origin } = loaded;
  const owner = `${policy.kind} ${policy.metadata.name}${autogen ? ` (autogen ${autogen})` : ''}`;
  const at = (path: readonly (string | number)[]) => ['spec', ...path];
  const compile = (expression: string, path: readonly (string | number)[]) => compiler.compile(expression, origin, at(path), owner).program;
  const variables = (spec.variables ?? []).map((v, i) => ({ ...v, ...compiler.compile(v.expression, origin, at(['variables', i, 'expression']), owner) }));
  const expressions = [
    ...(spec.matchConditions ?? []).map((c) => c.expression),
    ...(spec.variables ?? []).map((v) => v.expression),
    ...(spec.validations ?? []).flatMap((v) => [v.expression, ...(v.messageExpression === undefined ? [] : [v.messageExpression])]),
    ...(spec.auditAnnotations ?? []).map((a) => a.valueExpression),
  ];
  const keyOf = variableKeys(variables);
  const auditAnnotations = (spec.auditAnnotations ?? []).map((a, i) => ({ key: a.key, program: compile(a.valueExpression, ['auditAnnotations', i, 'valueExpression']) }));
  return {
    loaded,
    name: policy.metadata.name,
    namespace: policy.kind === 'NamespacedValidatingPolicy' ? (policy.metadata.namespace ?? 'default') : undefined,
    kind: policy.kind,
    autogen,
    matchConstraints: spec.matchConstraints,
    matchConditions: (spec.matchConditions ?? []).map((c, i) => compiler.condition(c.expression, origin, at(['matchConditions', i, 'expression']), owner)),
    variables: new VariableScope(
      variables.map(({ name, program }) => {
        const found = keyOf(name);
        return { name, program, slot: found === undefined ? -1 : compiler.memo.slot(`variable\u0000${found.key}`, found.constant) };
      }),
      compiler.memo,
    ),
    validations: (spec.validations ?? []).map((v, i) => ({
      program: compile(v.expression, ['validations', i, 'expression']),
      message: v.message,
      messageExpression: v.messageExpression === undefined ? undefined : compile(v.messageExpression, ['validations', i, 'messageExpression']),
    })),
    auditAnnotations,
    exceptions,
    ignoreFailures: spec.failurePolicy === 'Ignore',
    readsNamespaceObject: expressions.some((e) => compiler.readsNamespaceObject(e)) || exceptions.some((e) => e.readsNamespaceObject),
  };
}

/** A policy as written plus its autogen variants, each ready to evaluate. */
export function compilePolicy(
  compiler: CelCompiler,
  loaded: Loaded<ValidatingPolicy>,
  exceptions: readonly Loaded<PolicyException>[],
): CompiledVariant[] {
  const compiledExceptions = compileExceptions(compiler, loaded.value, exceptions);
  const spec = loaded.value.spec;
  return [
    compileSpec(compiler, loaded, spec, undefined, compiledExceptions),
    ...autogenVariants(spec).map((variant) => compileSpec(compiler, loaded, variant.spec, variant.name, compiledExceptions)),
  ];
}
