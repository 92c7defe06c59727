/**
 * Schema validation of any rendered object: controller kinds through their typed models,
 * Kubernetes kinds through kubernetes-models, CRD kinds through validators built from the
 * CRD's own OpenAPI schema when the caller has the CRDs.
 */
import { Ajv } from 'ajv';
import type { KubernetesObject } from '../../cluster/component.js';
import { TYPED_MODELS } from '../../cluster/typed-objects.js';

/** Schema errors of an object; empty when it is valid. */
export type ObjectValidator = (object: KubernetesObject) => readonly string[];

export interface SchemaVerdict {
  readonly result: 'pass' | 'fail' | 'not-applicable';
  readonly reason?: string;
}

/** Groups whose CRDs the project does not ship; their objects are checked when CRDs are given. */
export const CRD_ONLY_GROUPS = ['policies.kyverno.io'] as const;

const API_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

function errorsOf(validate: () => void): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** The kubernetes-models class for a core kind, or undefined when it has none. */
async function coreValidator(apiVersion: string, kind: string): Promise<ObjectValidator | undefined> {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  let module: Record<string, unknown>;
  try {
    const specifier = `kubernetes-models/${apiVersion}/${kind}`;
    module = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const Model = module[kind] as (new (data: unknown) => { validate(): void }) | undefined;
  return Model === undefined ? undefined : (object) => errorsOf(() => new Model(object).validate());
}

export async function validateObjectSchema(
  object: KubernetesObject,
  crdValidators: ReadonlyMap<string, ObjectValidator> = new Map(),
): Promise<SchemaVerdict> {
  const key = `${object.apiVersion}/${object.kind}`;
  const typedModel = TYPED_MODELS[key];
  const validator: ObjectValidator | undefined =
    crdValidators.get(key) ??
    (typedModel === undefined ? undefined : (data) => errorsOf(() => typedModel(data).validate())) ??
    (await coreValidator(object.apiVersion, object.kind));
  if (validator !== undefined) {
    const errors = validator(object);
    return errors.length === 0 ? { result: 'pass' } : { result: 'fail', reason: errors.join('; ') };
  }
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  if ((CRD_ONLY_GROUPS as readonly string[]).includes(group ?? '')) {
    return { result: 'not-applicable', reason: `no ${group} CRD schema available to this run; the policy compile gate checks these objects` };
  }
  return { result: 'fail', reason: `no schema known for ${key}` };
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
