/**
 * The generated GitOps and Kyverno objects against the real CRDs of the targeted Flux, Argo CD and
 * Kyverno versions (../shared/reference/crds), the way the API server judges them: structural
 * schema, unknown fields refused (Flux applies with strict field validation), and the CRDs'
 * `x-kubernetes-validations` CEL rules evaluated.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { strictCrdValidators } from '../../src/gates/rules/object-schema.js';
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
    ['an unknown spec field', { ...release, spec: { ...release.spec, bogus: true } }, /\/spec must NOT have additional properties \(bogus\)/],
    ['valuesFile, removed in HelmRelease v2', { ...release, spec: { ...release.spec, valuesFile: 'values.yaml' } }, /\(valuesFile\)/],
    ['patchesJson6902, removed in v2', { ...release, spec: { ...release.spec, postRenderers: [{ kustomize: { patchesJson6902: [] } }] } }, /\(patchesJson6902\)/],
    ['both chart and chartRef (a CEL rule of the CRD)', { ...release, spec: { ...release.spec, chartRef: { kind: 'OCIRepository', name: 'x' } } }, /either chart or chartRef must be set/],
    ['a validationAction typo in a ValidatingPolicy', { ...policy, spec: { ...policy.spec, validationAction: ['Deny'] } }, /\(validationAction\)/],
  ])('%s THEN it is refused', (_what, object, message) => {
    expect(errorsOf(object as unknown as KubernetesObject).join('\n')).toMatch(message);
  });
});
