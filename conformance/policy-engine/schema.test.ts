import { readFile } from 'node:fs/promises';
import type { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { policyExceptionSchema, validatingPolicySchema, validatingPolicySpecSchema } from '../../src/policy-engine/schema.js';
import { DEFAULT_EXCEPTION_DIR, DEFAULT_POLICY_DIR, readObjects } from '../../src/policy-engine/index.js';
import { kubernetesAjv } from '../support/kubernetes-ajv.js';
import { referencePath } from '../support/reference.js';

const REFERENCE = `${referencePath('kyverno-policies', 'pod-security-vpol')}/`;

type Schema = { properties?: Record<string, Schema>; items?: Schema };

async function crd(file: string) {
  return parse(await readFile(referencePath('crds', file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
}

const zodKeys = (schema: unknown) => Object.keys((schema as { shape: Record<string, unknown> }).shape).sort();

describe('policy shapes follow the policies.kyverno.io CRDs', () => {
  test.each(['v1alpha1', 'v1beta1', 'v1'])('ValidatingPolicy %s spec has exactly the fields the zod schema knows', async (version) => {
    const { spec } = await crd('policies.kyverno.io_validatingpolicies.yaml');
    const crdSpec = spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema.properties!.spec!;
    expect(zodKeys(validatingPolicySpecSchema)).toEqual(Object.keys(crdSpec.properties!).sort());
  });

  test('PolicyException v1 spec has exactly the fields the zod schema knows', async () => {
    const { spec } = await crd('policies.kyverno.io_policyexceptions.yaml');
    const crdSpec = spec.versions.find((v) => v.name === 'v1')!.schema.openAPIV3Schema.properties!.spec!;
    expect(zodKeys(policyExceptionSchema.shape.spec)).toEqual(Object.keys(crdSpec.properties!).sort());
  });

  test('GIVEN every reference and ADR policy and exception THEN the CRD schema (ajv) and the zod schema both accept it', async () => {
    const ajv = kubernetesAjv();
    const policyCrd = await crd('policies.kyverno.io_validatingpolicies.yaml');
    const exceptionCrd = await crd('policies.kyverno.io_policyexceptions.yaml');
    const validators = new Map<string, ReturnType<Ajv['compile']>>(
      [...policyCrd.spec.versions.map((v) => [`ValidatingPolicy/${v.name}`, v] as const), ...exceptionCrd.spec.versions.map((v) => [`PolicyException/${v.name}`, v] as const)].map(
        ([key, v]) => [key, ajv.compile(v.schema.openAPIV3Schema)],
      ),
    );
    // Chainsaw assertion files hold partial objects (status checks), not policies.
    const objects = (await readObjects([REFERENCE, DEFAULT_POLICY_DIR, DEFAULT_EXCEPTION_DIR])).filter(
      (o) => String(o.object.apiVersion).startsWith('policies.kyverno.io/') && !o.file.includes('.chainsaw-test'),
    );
    expect(objects.length).toBeGreaterThan(16);
    for (const { object, file } of objects) {
      const plain = JSON.parse(JSON.stringify(object, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
      const validate = validators.get(`${String(object.kind)}/${String(object.apiVersion).split('/')[1]}`)!;
      expect(validate(plain), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const zod = object.kind === 'PolicyException' ? policyExceptionSchema : validatingPolicySchema;
      expect(zod.safeParse(object).success, file).toBe(true);
    }
  });
});
