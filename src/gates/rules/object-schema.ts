/**
 * Schema validation of any rendered object, strict (unknown fields refused, as the API server's
 * strict field validation and Flux's server-side apply refuse them): GitOps controller kinds
 * through the @kubernetes-models/flux-cd and argo-cd classes of the versions written, Kubernetes
 * kinds through kubernetes-models (both made strict by common/strict-model.ts), Kyverno kinds
 * through the policy engine's strict schemas (no npm package carries the policies.kyverno.io
 * CRDs; the conformance suite checks those schemas against the real CRDs), and any kind through
 * validators built from a CRD's own OpenAPI schema when the caller has the CRDs.
 */
import { Environment } from '@marcbachmann/cel-js';
import { Ajv } from 'ajv';
import type { z } from 'zod';
import type { KubernetesObject } from '../../cluster/component.js';
import { TYPED_MODELS } from '../../cluster/typed-objects.js';
import { strictModelErrors, type ValidatingModel } from '../../common/strict-model.js';
import { EXCEPTION_KIND, POLICIES_GROUP, POLICY_KINDS, POLICY_VERSIONS, policyExceptionSchema, validatingPolicySchema } from '../../policy-engine/schema.js';

/** Schema errors of an object; empty when it is valid. */
export type ObjectValidator = (object: KubernetesObject) => readonly string[];

export interface SchemaVerdict {
  readonly result: 'pass' | 'fail';
  readonly reason?: string;
}

const API_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** The kubernetes-models class for a core kind, or undefined when it has none. */
async function coreModel(apiVersion: string, kind: string): Promise<((data: KubernetesObject) => ValidatingModel) | undefined> {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  let module: Record<string, unknown>;
  try {
    const specifier = `kubernetes-models/${apiVersion}/${kind}`;
    module = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const Model = module[kind] as (new (data: unknown) => ValidatingModel) | undefined;
  return Model === undefined ? undefined : (data) => new Model(data);
}

function zodValidator(schema: z.ZodType): ObjectValidator {
  return (object) => {
    const parsed = schema.safeParse(object);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `/${issue.path.join('/')} ${issue.message}`);
  };
}

/** The policy engine's strict schemas, for every served policies.kyverno.io version of the kinds it reads. */
export const KYVERNO_VALIDATORS: ReadonlyMap<string, ObjectValidator> = new Map(
  POLICY_VERSIONS.flatMap((version) => [
    ...POLICY_KINDS.map((kind) => [`${POLICIES_GROUP}/${version}/${kind}`, zodValidator(validatingPolicySchema)] as const),
    [`${POLICIES_GROUP}/${version}/${EXCEPTION_KIND}`, zodValidator(policyExceptionSchema)] as const,
  ]),
);

export async function validateObjectSchema(
  object: KubernetesObject,
  crdValidators: ReadonlyMap<string, ObjectValidator> = new Map(),
): Promise<SchemaVerdict> {
  const key = `${object.apiVersion}/${object.kind}`;
  const model = TYPED_MODELS[key] ?? (await coreModel(object.apiVersion, object.kind));
  const validator: ObjectValidator | undefined =
    crdValidators.get(key) ?? KYVERNO_VALIDATORS.get(key) ?? (model === undefined ? undefined : (data) => strictModelErrors(model(data)));
  if (validator === undefined) return { result: 'fail', reason: `no schema known for ${key}` };
  const errors = validator(object);
  return errors.length === 0 ? { result: 'pass' } : { result: 'fail', reason: errors.join('; ') };
}

interface CrdVersion {
  readonly name: string;
  readonly served?: boolean;
  readonly schema?: { readonly openAPIV3Schema?: object };
}

interface CustomResourceDefinition {
  readonly kind: string;
  readonly spec: { readonly group: string; readonly names: { readonly kind: string }; readonly versions: readonly CrdVersion[] };
}

function isCrd(document: unknown): document is CustomResourceDefinition {
  const candidate = document as Partial<CustomResourceDefinition> | null;
  return candidate?.kind === 'CustomResourceDefinition' && Array.isArray(candidate.spec?.versions);
}

/**
 * Validators from CRD documents, one per served version (`group/version/Kind`), each checking
 * the version's `openAPIV3Schema`. The `x-kubernetes-*` extensions are not JSON Schema and are
 * ignored, as are formats, which the API server does not enforce either.
 */
export function crdValidators(documents: readonly unknown[]): Map<string, ObjectValidator> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ObjectValidator>();
  for (const crd of documents.filter(isCrd)) {
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (version.served === false || schema === undefined) continue;
      const validate = ajv.compile(schema);
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, (object) =>
        validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`),
      );
    }
  }
  return validators;
}

/** An OpenAPI v3 schema node of a CRD, as far as structural validation reads it. */
interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: Array<{ rule: string; message?: string; messageExpression?: string }>;
  [key: string]: unknown;
}

/**
 * The API server's structural-schema semantics for JSON Schema: an object node with `properties`
 * and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` knows every field
 * it allows, so an unknown field is refused (server-side apply with strict field validation, as
 * Flux applies); embedded resources also take apiVersion, kind and metadata; int-or-string takes both.
 */
function strictSchema(node: SchemaNode, embedded = false): SchemaNode {
  const out: SchemaNode = { ...node };
  delete out['x-kubernetes-validations'];
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, strictSchema(child)]));
    if (node['x-kubernetes-embedded-resource'] === true || embedded) {
      out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
    }
    if (node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (typeof node.additionalProperties === 'object') out.additionalProperties = strictSchema(node.additionalProperties);
  if (node.items !== undefined) out.items = strictSchema(node.items);
  return out;
}

/** Every `x-kubernetes-validations` rule under a schema, with the path of the value it judges. */
function validationRules(node: SchemaNode, path: readonly string[] = []): Array<{ path: readonly string[]; rule: string; message: string }> {
  const here = (node['x-kubernetes-validations'] ?? []).filter((v) => !/\boldSelf\b/.test(v.rule)).map((v) => ({ path, rule: v.rule, message: v.message ?? v.rule }));
  const children = Object.entries(node.properties ?? {}).flatMap(([key, child]) => validationRules(child, [...path, key]));
  // Rules below arrays and maps apply to each element: evaluated per element.
  const items = node.items === undefined ? [] : validationRules(node.items, [...path, '[]']);
  const values = typeof node.additionalProperties === 'object' ? validationRules(node.additionalProperties, [...path, '{}']) : [];
  return [...here, ...children, ...items, ...values];
}

/** The values at a rule's path (each element for `[]` and `{}` steps). */
function valuesAt(value: unknown, path: readonly string[]): Array<{ value: unknown; at: string }> {
  let current: Array<{ value: unknown; at: string }> = [{ value, at: '' }];
  for (const step of path) {
    current = current.flatMap(({ value: node, at }) => {
      if (node === null || typeof node !== 'object') return [];
      if (step === '[]') return Array.isArray(node) ? node.map((item, index) => ({ value: item, at: `${at}[${index}]` })) : [];
      if (step === '{}') return Object.entries(node as Record<string, unknown>).map(([key, item]) => ({ value: item, at: `${at}.${key}` }));
      const child = (node as Record<string, unknown>)[step];
      return child === undefined ? [] : [{ value: child, at: `${at}.${step}` }];
    });
  }
  return current;
}

/**
 * Validators from CRD documents as the API server applies them: structural schema with unknown
 * fields refused, and the `x-kubernetes-validations` CEL rules evaluated (transition rules, which
 * need the previous object, are not). One per served version, keyed `group/version/Kind`.
 */
export function strictCrdValidators(documents: readonly unknown[]): Map<string, ObjectValidator> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const cel = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: false });
  cel.registerVariable('self', 'dyn');
  const validators = new Map<string, ObjectValidator>();
  for (const crd of documents.filter(isCrd)) {
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema as SchemaNode | undefined;
      if (version.served === false || schema === undefined) continue;
      const validate = ajv.compile(strictSchema({ ...schema, properties: { ...(schema.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } } }));
      const rules = validationRules(schema).map((rule) => ({ ...rule, program: cel.parse(rule.rule) }));
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, (object) => {
        const errors = validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
        for (const rule of rules) {
          for (const { value, at } of valuesAt(object, rule.path)) {
            let verdict: unknown;
            try {
              verdict = rule.program({ self: value });
            } catch (error) {
              verdict = `error: ${(error as Error).message}`;
            }
            if (verdict !== true) errors.push(`${at || '/'}: ${rule.message}`);
          }
        }
        return errors;
      });
    }
  }
  return validators;
}
