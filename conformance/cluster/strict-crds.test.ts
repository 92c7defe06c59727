/**
 * The generated GitOps and Kyverno objects against the real CRDs of the targeted Flux, Argo CD and
 * Kyverno versions (../shared/reference/crds), the way the API server judges them: structural
 * schema, unknown fields refused (Flux applies with strict field validation), and the CRDs'
 * `x-kubernetes-validations` CEL rules evaluated. And the strict schemas `synth` judges them by
 * with no CRD at hand (the kubernetes-models classes, the policy engine's Kyverno schemas) agree
 * with the real CRDs on which fields exist.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { strictCrdValidators, validateObjectSchema } from '../../src/gates/rules/object-schema.js';
import { EXAMPLE, find, renderEnv } from '../../test/cluster/fixture.js';
import { referenceDocuments, referencePath } from '../support/reference.js';
import { ENVIRONMENTS } from '../support/cluster-renders.js';

const CRD_FILES = [
  ...readdirSync(referencePath('crds', 'flux')).map((file) => ['crds', 'flux', file]),
  ...readdirSync(referencePath('crds', 'argo-cd')).map((file) => ['crds', 'argo-cd', file]),
  ...['policies.kyverno.io_validatingpolicies.yaml', 'policies.kyverno.io_policyexceptions.yaml'].map((file) => ['crds', file]),
];
const validators = strictCrdValidators(CRD_FILES.flatMap((path) => referenceDocuments(...path)));
const ARGO = EXAMPLE.replace('  controller: flux\n', '  controller: argocd\n');

function errorsOf(object: KubernetesObject): readonly string[] {
  const validator = validators.get(`${object.apiVersion}/${object.kind}`);
  if (validator === undefined) throw new Error(`no CRD for ${object.apiVersion}/${object.kind}`);
  return validator(object);
}

const crdKinds = (objects: readonly KubernetesObject[]) => objects.filter((object) => /fluxcd\.io|argoproj\.io|policies\.kyverno\.io/.test(object.apiVersion));

describe.each(ENVIRONMENTS)('GIVEN the objects rendered for %s', (name) => {
  test.each([
    ['Flux', EXAMPLE],
    ['Argo CD', ARGO],
  ])('THEN every %s, Kyverno policy and exception object is accepted by its CRD', (_controller, text) => {
    const objects = crdKinds(renderEnv(name, text).objects);
    expect(objects.length).toBeGreaterThan(10);
    const refused = objects.map((object) => ({ object: `${object.kind}/${object.metadata.name}`, errors: errorsOf(object) })).filter(({ errors }) => errors.length > 0);
    expect(refused).toEqual([]);
  });
});

describe('GIVEN objects the API server refuses', () => {
  const { objects } = renderEnv('dev');
  const release = find(objects, 'HelmRelease', 'falco') as Record<string, any>;
  const policy = objects.find((object) => object.kind === 'ValidatingPolicy') as Record<string, any>;

  test.each([
    ['an unknown spec field', { ...release, spec: { ...release.spec, bogus: true } }, /\/spec must NOT have additional properties \(bogus\)/, 'refuses'],
    ['valuesFile, removed in HelmRelease v2', { ...release, spec: { ...release.spec, valuesFile: 'values.yaml' } }, /\(valuesFile\)/, 'refuses'],
    ['patchesJson6902, removed in v2', { ...release, spec: { ...release.spec, postRenderers: [{ kustomize: { patchesJson6902: [] } }] } }, /\(patchesJson6902\)/, 'refuses'],
    ['both chart and chartRef (a CEL rule of the CRD)', { ...release, spec: { ...release.spec, chartRef: { kind: 'OCIRepository', name: 'x' } } }, /either chart or chartRef must be set/, 'CEL rules are judged here only'],
    ['a validationAction typo in a ValidatingPolicy', { ...policy, spec: { ...policy.spec, validationAction: ['Deny'] } }, /\(validationAction\)/, 'refuses'],
  ])('%s THEN it is refused (synth: %s)', async (_what, object, message, synth) => {
    expect(errorsOf(object as unknown as KubernetesObject).join('\n')).toMatch(message);
    // The schemas synth has carry no x-kubernetes-validations rules: those are judged in this suite only.
    expect((await validateObjectSchema(object as unknown as KubernetesObject)).result).toBe(synth === 'refuses' ? 'fail' : 'pass');
  });
});

/** Paths of every object node of a value (not of arrays themselves), each as its keys. */
function objectNodes(value: unknown, path: readonly (string | number)[] = []): Array<readonly (string | number)[]> {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => objectNodes(item, [...path, index]));
  return [path, ...Object.entries(value).flatMap(([key, child]) => objectNodes(child, [...path, key]))];
}

function withProbe(object: KubernetesObject, path: readonly (string | number)[]): KubernetesObject {
  const copy = structuredClone(object) as unknown as Record<string | number, unknown>;
  const node = path.reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, copy);
  node.zzProbe = 'unknown';
  return copy as unknown as KubernetesObject;
}

describe('GIVEN an unknown field added at each object node of each rendered GitOps and Kyverno object', () => {
  test.each([
    ['Flux', EXAMPLE],
    ['Argo CD', ARGO],
  ])('THEN synth (no CRD) refuses it exactly where the real %s and Kyverno CRDs do', async (_controller, text) => {
    const objects = crdKinds(renderEnv('prod', text).objects);
    const disagreements: string[] = [];
    let probes = 0;
    for (const object of objects) {
      // The CRDs leave metadata to the API server's ObjectMeta, which refuses unknown fields too
      // (kubernetes-models' ObjectMeta at synth; the policy engine reads Kyverno metadata loosely).
      for (const path of objectNodes(object).filter((p) => p[0] !== 'metadata')) {
        const probed = withProbe(object, path);
        const byCrd = errorsOf(probed).some((error) => error.includes('zzProbe'));
        const bySynth = (await validateObjectSchema(probed)).result === 'fail';
        probes += 1;
        if (byCrd !== bySynth) disagreements.push(`${object.kind}/${object.metadata.name} /${path.join('/')}: CRD ${byCrd ? 'refuses' : 'accepts'}, synth ${bySynth ? 'refuses' : 'accepts'}`);
      }
    }
    expect(probes).toBeGreaterThan(200);
    expect(disagreements).toEqual([]);
  });
});
