/**
 * Evaluate many: match first (cached per apiVersion/kind), then exceptions, matchConditions,
 * variables and validations, with Kyverno's result semantics (pkg/cel/policies/vpol/compiler
 * policy.go and engine/engine.go): the first failing validation decides; an evaluation error is
 * `error`; an object the policy does not match gets no result.
 */
import { UserInputError } from '../common/errors.js';
import { positionOf } from '../common/yaml-source.js';
import type { CelActivation } from './cel-env.js';
import { withLookupContext, type LookupContext } from './cel-kyverno.js';
import type { CompiledException, CompiledVariant, SharedProgram } from './compile.js';
import type { KubeObject, SourceObject } from './documents.js';
import type { ObjectMemo } from './memo.js';
import { CLUSTER_SCOPED_KINDS, guessResource, isEmptySelector, matchesConstraints, matchesType, needsFullMatch, splitApiVersion, type AdmissionOperation, type ResourceAttributes } from './match.js';
import type { PolicyInfo, PolicyResult, ResultStatus } from './result.js';

interface Outcome {
  readonly result: ResultStatus;
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly message: string;
  readonly rule?: string;
  readonly exceptions?: readonly string[];
  readonly validationIndex?: number;
}

const SEVERITY = 'policies.kyverno.io/severity';
const CATEGORY = 'policies.kyverno.io/category';
const SCORED = 'policies.kyverno.io/scored';
const TITLE = 'policies.kyverno.io/title';
const DESCRIPTION = 'policies.kyverno.io/description';

function errorText(error: unknown): string {
  const e = error as { summary?: string; message?: string };
  return e.summary ?? String(e.message ?? error).split('\n')[0] ?? String(error);
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function attributesOf(origin: SourceObject, operation: AdmissionOperation = 'CREATE', defaultNamespace = '', subresource = ''): ResourceAttributes {
  const { object } = origin;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const generateName = typeof metadata.generateName === 'string' ? metadata.generateName : '';
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || (name === '' && generateName === '')) {
    throw new UserInputError('expected a Kubernetes object with apiVersion, kind and metadata.name', {
      position: positionOf(origin.source, origin.path),
    });
  }
  const { group, version } = splitApiVersion(apiVersion);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : CLUSTER_SCOPED_KINDS.has(kind) ? '' : defaultNamespace;
  return new ObjectAttributes(apiVersion, group, version, kind, guessResource(kind), name, generateName, namespace, metadata.labels, operation, subresource);
}

/** How one evaluation run sees the world around its objects. */
export interface EvaluationOptions {
  /** Namespaces known besides the Namespace objects in the input (a Kyverno CLI values file). */
  readonly namespaces?: ReadonlyMap<string, KubeObject>;
  /** The admission operation: CREATE (default); UPDATE binds the object as `oldObject` too; DELETE binds only `oldObject`. */
  readonly operation?: AdmissionOperation;
  /** Evaluate as a request for this subresource of each object (`ephemeralcontainers` for `kubectl debug`). */
  readonly subresource?: string;
  /** `request.userInfo` (a Kyverno CLI userinfo file). */
  readonly userInfo?: { readonly username?: string; readonly uid?: string; readonly groups?: readonly string[]; readonly extra?: Readonly<Record<string, readonly string[]>> };
  /**
   * The Kyverno CLI's assumptions: a namespaced object without a namespace is in `default`, and
   * a namespace the input does not define exists with only its name label.
   */
  readonly cliDefaults?: boolean;
  /** Resources and image metadata Kyverno's `resource` and `image` libraries read (a Kyverno CLI context file). */
  readonly lookups?: LookupContext;
}

/** Labels are only read by selectors, which most policies do not have: copied on first read. */
class ObjectAttributes implements ResourceAttributes {
  private labelsValue: Record<string, string> | undefined;

  constructor(
    readonly apiVersion: string,
    readonly group: string,
    readonly version: string,
    readonly kind: string,
    readonly resource: string,
    readonly name: string,
    readonly generateName: string,
    readonly namespace: string,
    private readonly rawLabels: unknown,
    readonly operation: AdmissionOperation,
    readonly subresource: string,
  ) {}

  get labels(): Readonly<Record<string, string>> {
    return (this.labelsValue ??= stringMap(this.rawLabels));
  }
}

function requestFor(attrs: ResourceAttributes, object: KubeObject | null, oldObject: KubeObject | null, userInfo: EvaluationOptions['userInfo']) {
  const kind = { group: attrs.group, version: attrs.version, kind: attrs.kind };
  const resource = { group: attrs.group, version: attrs.version, resource: attrs.resource };
  return {
    uid: '',
    kind,
    resource,
    subResource: attrs.subresource ?? '',
    requestKind: kind,
    requestResource: resource,
    requestSubResource: attrs.subresource ?? '',
    name: attrs.name,
    namespace: attrs.namespace,
    operation: attrs.operation,
    userInfo: { username: userInfo?.username ?? '', uid: userInfo?.uid ?? '', groups: [...(userInfo?.groups ?? [])], ...(userInfo?.extra ? { extra: userInfo.extra } : {}) },
    object,
    oldObject,
    dryRun: false,
    options: null,
  };
}

/**
 * The bindings of one object. Few policies read `request`, so it is built on first read (cel-js
 * reads bindings as plain properties, so a getter is enough); the other fields are set per object.
 */
class ObjectActivation implements CelActivation {
  params = null;
  variables: unknown = null;
  exceptions: unknown = null;
  private requestValue: unknown;

  constructor(
    readonly object: KubeObject | null,
    readonly oldObject: KubeObject | null,
    readonly namespaceObject: KubeObject | null,
    private readonly attrs: ResourceAttributes,
    private readonly userInfo: EvaluationOptions['userInfo'],
  ) {}

  get request(): unknown {
    return (this.requestValue ??= requestFor(this.attrs, this.object, this.oldObject, this.userInfo));
  }
}

/** The object as the API server stores it in a defaulted namespace. */
function inNamespace(object: KubeObject, namespace: string): KubeObject {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return metadata.namespace === namespace ? object : { ...object, metadata: { ...metadata, namespace } };
}

/** `true`, `false`, or the error that stopped the conditions (Kyverno's `match`). */
function conditionsHold(conditions: readonly SharedProgram[], activation: CelActivation, memo: ObjectMemo): boolean | Error {
  let failure: Error | undefined;
  for (const { program, slot } of conditions) {
    let value: unknown;
    try {
      value = slot >= 0 ? memo.run(slot, program, activation) : program(activation);
    } catch (error) {
      failure ??= new Error(errorText(error));
      continue;
    }
    if (typeof value !== 'boolean') {
      failure ??= new Error(`expected a bool from a match condition, got ${typeof value}`);
      continue;
    }
    if (!value) return false;
  }
  return failure ?? true;
}

function exceptionOutcome(matched: readonly CompiledException[]): Outcome {
  // Kyverno (vpol engine.go): the first exception decides unless one has a priority above 0,
  // then the first with the highest priority does.
  let decisive = matched[0]!;
  let highest = 0;
  for (const e of matched) {
    if (e.priority > highest) {
      highest = e.priority;
      decisive = e;
    }
  }
  const result = decisive.reportResult;
  return {
    result,
    rule: 'exception',
    message: `rule is ${result === 'pass' ? 'passed' : 'skipped'} due to policy exception: ${matched.map((e) => e.key).join(', ')}`,
    exceptions: matched.map((e) => e.key),
  };
}

/** The `exceptions` binding when no partial exception applies (most evaluations): no allocation. */
const NO_PARTIAL_EXCEPTIONS = Object.freeze({ allowedImages: Object.freeze([]), allowedValues: Object.freeze([]) });
/** The outcomes that carry nothing object-specific, shared instead of allocated per evaluation. */
const PASSED: Outcome = Object.freeze({ result: 'pass', message: 'success' });
const SKIPPED: Outcome = Object.freeze({ result: 'skip', message: 'skip' });

function evaluateVariant(variant: CompiledVariant, activation: CelActivation, memo: ObjectMemo): Outcome {
  // Exceptions see neither variables nor the exceptions binding, as in Kyverno.
  activation.variables = null;
  activation.exceptions = null;
  let matched: CompiledException[] | undefined;
  let partial: { allowedImages: string[]; allowedValues: string[] } | undefined;
  let fullExemption = false;
  for (const exception of variant.exceptions) {
    const holds = conditionsHold(exception.matchConditions, activation, memo);
    if (holds instanceof Error) {
      if (fullExemption || variant.ignoreFailures) continue;
      return { result: 'error', rule: 'evaluation', message: `failed to load context: ${holds.message}` };
    }
    if (!holds) continue;
    (matched ??= []).push(exception);
    if (exception.images.length === 0 && exception.allowedValues.length === 0) fullExemption = true;
    else if (!fullExemption) {
      partial ??= { allowedImages: [], allowedValues: [] };
      partial.allowedImages.push(...exception.images);
      partial.allowedValues.push(...exception.allowedValues);
    }
  }
  if (fullExemption) return exceptionOutcome(matched!);
  activation.exceptions = partial ?? NO_PARTIAL_EXCEPTIONS;

  const holds = conditionsHold(variant.matchConditions, activation, memo);
  if (holds instanceof Error) {
    if (variant.ignoreFailures) return SKIPPED;
    return { result: 'error', rule: 'evaluation', message: `failed to load context: ${holds.message}` };
  }
  if (!holds) return SKIPPED;

  variant.variables.begin(activation);
  activation.variables = variant.variables.bag;
  const outcome = validate(variant, activation);
  if (variant.auditAnnotations.length === 0 || outcome.result === 'error') return outcome;
  const annotations: Record<string, string> = {};
  for (const { key, program } of variant.auditAnnotations) {
    let value: unknown;
    try {
      value = program(activation);
    } catch (error) {
      return { result: 'error', message: `error: auditAnnotations ${key}: ${errorText(error)}` };
    }
    if (value === null) continue;
    if (typeof value !== 'string') return { result: 'error', message: `error: auditAnnotations ${key}: expected a string or null, got ${typeof value}` };
    annotations[key] = value;
  }
  return Object.keys(annotations).length === 0 ? outcome : { ...outcome, auditAnnotations: annotations };
}

function validate(variant: CompiledVariant, activation: CelActivation): Outcome {
  for (let index = 0; index < variant.validations.length; index++) {
    const validation = variant.validations[index]!;
    let value: unknown;
    try {
      value = validation.program(activation);
    } catch (error) {
      return { result: 'error', message: `error: ${errorText(error)}`, validationIndex: index };
    }
    if (value === true) continue;
    if (value !== false) return { result: 'error', message: `error: expected a bool from the validation, got ${typeof value}`, validationIndex: index };
    return { result: 'fail', message: failureMessage(validation, activation, index), validationIndex: index };
  }
  return PASSED;
}

function failureMessage(validation: CompiledVariant['validations'][number], activation: CelActivation, index: number): string {
  let message = validation.message ?? '';
  if (validation.messageExpression) {
    try {
      const value = validation.messageExpression(activation);
      message = typeof value === 'string' ? value : `failed to convert message expression to string: got ${typeof value}`;
    } catch (error) {
      message = `failed to evaluate message expression: ${errorText(error)}`;
    }
  }
  return message === '' ? `CEL expression validation failed at index ${index}` : message;
}

/** The parts of a result that depend only on the policy variant, computed once. */
interface VariantPlan {
  readonly variant: CompiledVariant;
  readonly fullMatch: boolean;
  readonly policy: string;
  readonly unscored: boolean;
  readonly severity: string | undefined;
  readonly category: string | undefined;
}

function planOf(variant: CompiledVariant): VariantPlan {
  const annotations = variant.loaded.value.metadata.annotations ?? {};
  return {
    variant,
    fullMatch: needsFullMatch(variant.matchConstraints),
    policy: variant.namespace === undefined ? variant.name : `${variant.namespace}/${variant.name}`,
    unscored: annotations[SCORED] === 'false',
    severity: annotations[SEVERITY],
    category: annotations[CATEGORY],
  };
}

/** The namespace Kyverno's CLI assumes for a name the input does not define. */
function assumedNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
}

/** Compiled policies, ready to evaluate any number of objects. */
export class PolicyEngine {
  /** apiVersion → kind → the plans whose resource rules can match that type. */
  private readonly candidatesByType = new Map<string, Map<string, readonly VariantPlan[]>>();
  private readonly plans: readonly VariantPlan[];

  constructor(
    readonly variants: readonly CompiledVariant[],
    private readonly memo: ObjectMemo,
  ) {
    this.plans = variants.map(planOf);
  }

  /** One entry per policy (autogen variants are not separate policies). */
  policies(): PolicyInfo[] {
    return this.plans
      .filter(({ variant }) => variant.autogen === undefined)
      .map(({ variant, policy, severity, category }) => {
        const { metadata, spec } = variant.loaded.value;
        const annotations = metadata.annotations ?? {};
        return {
          name: policy,
          title: annotations[TITLE],
          description: annotations[DESCRIPTION],
          severity,
          category,
          background: spec.evaluation?.background?.enabled ?? true,
        };
      });
  }

  private candidates(attrs: ResourceAttributes): readonly VariantPlan[] {
    const typeKey = attrs.operation === 'CREATE' && !attrs.subresource ? attrs.apiVersion : `${attrs.operation} ${attrs.subresource ?? ''} ${attrs.apiVersion}`;
    let byKind = this.candidatesByType.get(typeKey);
    if (!byKind) this.candidatesByType.set(typeKey, (byKind = new Map()));
    let list = byKind.get(attrs.kind);
    if (!list) {
      list = this.plans.filter(({ variant }) => matchesType(variant.matchConstraints, attrs));
      byKind.set(attrs.kind, list);
    }
    return list;
  }

  /**
   * Whether results can depend on the Namespace objects of the input: a policy with a
   * namespaceSelector, or an expression reading `namespaceObject`. When none does, objects can be
   * evaluated as they are read, without knowing the whole input first.
   */
  get readsNamespaces(): boolean {
    return this.plans.some(({ variant }) => variant.readsNamespaceObject || !isEmptySelector(variant.matchConstraints?.namespaceSelector));
  }

  /**
   * Results for every (policy, object) pair a policy matches, in input order. Namespace objects
   * among `objects` (and `knownNamespaces`, e.g. from a Kyverno CLI values file) give
   * namespaceSelector its labels and `namespaceObject` its value.
   */
  evaluate(objects: readonly SourceObject[], knownNamespaces: ReadonlyMap<string, KubeObject> = new Map(), options: EvaluationOptions = {}): PolicyResult[] {
    const namespaces = new Map<string, KubeObject>([...knownNamespaces, ...(options.namespaces ?? [])]);
    for (const { object } of objects) {
      const metadata = object.metadata as { name?: unknown } | undefined;
      if (isNamespace(object) && typeof metadata?.name === 'string') namespaces.set(metadata.name, object);
    }
    return this.session(namespaces, options)(objects);
  }

  /**
   * An evaluation of objects that arrive in batches (`audit` streams its input): the input's
   * Namespace objects are known up front (see `readsNamespaces`), and each call gives the results
   * of its batch.
   */
  session(inputNamespaces: ReadonlyMap<string, KubeObject>, options: EvaluationOptions = {}): (objects: readonly SourceObject[]) => PolicyResult[] {
    const run: Run = {
      // The input's own Namespace objects win over those known besides it, as in `evaluate`.
      namespaces: new Map<string, KubeObject>([...(options.namespaces ?? []), ...inputNamespaces]),
      operation: options.operation ?? 'CREATE',
      defaultNamespace: options.cliDefaults ? 'default' : '',
      options,
    };
    return (objects) =>
      withLookupContext(options.lookups, () => {
        const results: PolicyResult[] = [];
        for (const origin of objects) this.evaluateObject(origin, run, results);
        return results;
      });
  }

  private evaluateObject(origin: SourceObject, { namespaces, operation, defaultNamespace, options }: Run, results: PolicyResult[]): void {
    const attrs = attributesOf(origin, operation, defaultNamespace, options.subresource);
    const candidates = this.candidates(attrs);
    if (candidates.length === 0) return;
    this.memo.nextObject();
    let namespaceObject = attrs.namespace ? (namespaces.get(attrs.namespace) ?? null) : null;
    if (!namespaceObject && attrs.namespace && options.cliDefaults) namespaceObject = assumedNamespace(attrs.namespace);
    const namespaceLabels = namespaceObject ? stringMap((namespaceObject.metadata as Record<string, unknown>).labels) : undefined;
    const object = defaultNamespace && attrs.namespace ? inNamespace(origin.object, attrs.namespace) : origin.object;
    const activation = new ObjectActivation(operation === 'DELETE' ? null : object, operation === 'CREATE' ? null : object, namespaceObject, attrs, options.userInfo);
    // Shared by every result of this object.
    const name = attrs.name || attrs.generateName;
    const resource: PolicyResult['resource'] = attrs.namespace
      ? { apiVersion: attrs.apiVersion, kind: attrs.kind, namespace: attrs.namespace, name }
      : { apiVersion: attrs.apiVersion, kind: attrs.kind, name };
    const source = { file: origin.file, line: origin.line };
    // The API server would refuse this object, so no policy may judge it as if it ran.
    const invalid: Outcome | undefined =
      origin.invalid.length === 0 ? undefined : { result: 'error', rule: 'decode', message: `invalid object, the API server would refuse it: ${origin.invalid.join('; ')}` };
    for (const plan of candidates) {
      const { variant } = plan;
      if (variant.namespace !== undefined && variant.namespace !== attrs.namespace) continue;
      if (plan.fullMatch && !matchesConstraints(variant.matchConstraints, attrs, namespaceLabels)) continue;
      const outcome = invalid ?? evaluateVariant(variant, activation, this.memo);
      const result: PolicyResult = {
        policy: plan.policy,
        resource,
        result: outcome.result === 'fail' && plan.unscored ? 'warn' : outcome.result,
        message: outcome.message,
        source,
      };
      if (outcome.rule) result.rule = outcome.rule;
      if (outcome.exceptions) result.exceptions = [...outcome.exceptions];
      if (variant.autogen) result.autogen = variant.autogen;
      if (outcome.validationIndex !== undefined) result.validationIndex = outcome.validationIndex;
      if (outcome.auditAnnotations) result.auditAnnotations = { ...outcome.auditAnnotations };
      if (plan.severity) result.severity = plan.severity;
      if (plan.category) result.category = plan.category;
      results.push(result);
    }
  }
}

/** A core/v1 Namespace, whose labels namespaceSelectors read. */
export const isNamespace = (object: KubeObject): boolean => object.kind === 'Namespace' && object.apiVersion === 'v1';

/** What stays the same across the objects of one evaluation. */
interface Run {
  readonly namespaces: ReadonlyMap<string, KubeObject>;
  readonly operation: AdmissionOperation;
  readonly defaultNamespace: string;
  readonly options: EvaluationOptions;
}
