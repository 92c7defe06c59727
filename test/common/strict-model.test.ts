import { describe, expect, test } from 'vitest';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { strictlyValidated, strictModelErrors } from '../../src/common/strict-model.js';

const release = {
  metadata: { name: 'falco', namespace: 'falco', labels: { team: 'soc' }, annotations: { 'a/b': 'c' } },
  spec: {
    interval: '30m',
    chart: { spec: { chart: 'falco', version: '9.1.0', sourceRef: { kind: 'HelmRepository', name: 'falcosecurity' } } },
    values: { driver: { kind: 'modern_ebpf' }, anyKey: [{ deep: { deeper: true } }] },
    dependsOn: [{ name: 'cert-manager' }],
  },
};

describe('strictModelErrors', () => {
  test('GIVEN a valid object with maps, lists and free-form values THEN it has no error', () => {
    expect(strictModelErrors(new HelmRelease(release as never))).toEqual([]);
  });

  test('GIVEN unknown fields at several depths THEN each is named with its path, and nothing below it is judged', () => {
    const data = {
      ...release,
      spec: { ...release.spec, bogus: { inner: 1 }, dependsOn: [{ name: 'x', nmae: 'y' }], chart: { spec: { ...release.spec.chart.spec, valuesFile: 'v.yaml' } } },
    };
    expect(strictModelErrors(new HelmRelease(data as never)).sort()).toEqual([
      'data/spec has unknown field "bogus"',
      'data/spec/chart/spec has unknown field "valuesFile"',
      'data/spec/dependsOn/0 has unknown field "nmae"',
    ]);
  });

  test('GIVEN a schema error and an unknown field THEN both are reported', () => {
    const errors = strictModelErrors(new HelmRelease({ ...release, spec: { ...release.spec, interval: undefined, extra: 1 } } as never));
    expect(errors.join('\n')).toMatch(/must have required property interval/);
    expect(errors).toContain('data/spec has unknown field "extra"');
  });

  test('GIVEN a core kind THEN its nested fields are strict too, its maps open', () => {
    const deployment = {
      metadata: { name: 'd', labels: { any: 'label' } },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Always', pullPolicy: 'Always' }] } } },
    };
    expect(strictModelErrors(new Deployment(deployment as never))).toEqual(['data/spec/template/spec/containers/0 has unknown field "pullPolicy"']);
  });

  test('GIVEN an Argo CD Application with inline Helm values THEN the values are open and the source is strict', () => {
    const app = (helm: object) => new Application({ metadata: { name: 'a' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://x', chart: 'c', targetRevision: '1', helm } } } as never);
    expect(strictModelErrors(app({ valuesObject: { whatever: { you: 'like' } } }))).toEqual([]);
    expect(strictModelErrors(app({ valueObject: {} }))).toEqual(['data/spec/source/helm has unknown field "valueObject"']);
  });

  test('strictlyValidated returns the data or throws every error', () => {
    expect(strictlyValidated(new HelmRelease(release as never))).toMatchObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', spec: { interval: '30m' } });
    expect(() => strictlyValidated(new HelmRelease({ ...release, spec: { ...release.spec, a: 1, b: 2 } } as never))).toThrow(/unknown field "a".*unknown field "b"/);
  });
});
