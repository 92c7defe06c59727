import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import {
  bucketFindings,
  chartPinFindings,
  clusterGates,
  imageProblem,
  imageDigestFindings,
  podIdentityFindings,
  policyCompileFindings,
  schemaFindings,
} from '../../src/gates/rules/cluster.js';
import { UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../src/common/names.js';
import { evaluateAdrRules, type StackTemplate } from '../../src/gates/rules/aws/index.js';
import type { ClusterTree } from '../../src/cluster/tree.js';
import { EXAMPLE, find, isUnestablishedDigest, renderEnv } from '../cluster/fixture.js';

const { platform, env, tree, objects } = renderEnv('dev');
const context = { platform, env };

/** A template shaped like the AWS layer's: evidence bucket, Pod Identity association, node groups. */
function template(overrides: { bucket?: unknown; associations?: Array<[string, string]>; labels?: Array<Record<string, string>> } = {}): StackTemplate {
  const resources: Record<string, unknown> = {
    EvidenceBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: overrides.bucket ?? env.evidenceBucketName } },
  };
  (overrides.associations ?? [FALCOSIDEKICK, CIS, AUTOSCALER]).forEach(([namespace, serviceAccount], index) => {
    resources[`PodIdentity${index}`] = { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: namespace, ServiceAccount: serviceAccount, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } };
  });
  (overrides.labels ?? [{ [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value }]).forEach((labels, index) => {
    resources[`Nodegroup${index}`] = { Type: 'AWS::EKS::Nodegroup', Properties: { Labels: labels } };
  });
  return { stackPath: 'fedplat-dev', template: { Resources: resources as never } };
}

const FALCOSIDEKICK: [string, string] = [WORKLOADS.falcosidekick.namespace, WORKLOADS.falcosidekick.serviceAccount];
const CIS: [string, string] = [WORKLOADS.cisCollector.namespace, WORKLOADS.cisCollector.serviceAccount];
const AUTOSCALER: [string, string] = [WORKLOADS.clusterAutoscaler.namespace, WORKLOADS.clusterAutoscaler.serviceAccount];

const results = (findings: readonly { result: string }[]) => findings.map((f) => f.result);

describe('ADR15-GITOPS-1 chart versions', () => {
  test('GIVEN the rendered releases THEN every one is pinned', () => {
    const findings = chartPinFindings(objects);
    expect(findings).toHaveLength(6);
    expect(new Set(results(findings))).toEqual(new Set(['pass']));
  });

  test.each(['^1.0.0', '1.x', 'latest', '>=1.4.0', ''])('GIVEN version %j THEN it fails', (version) => {
    const release = find(objects, 'HelmRelease', 'falco');
    const loose = { ...release, spec: { ...(release.spec as object), chart: { spec: { chart: 'falco', version, sourceRef: { kind: 'HelmRepository', name: 'x' } } } } };
    expect(results(chartPinFindings([loose]))).toEqual(['fail']);
  });
});

describe('ADR15-GITOPS-2 image digests', () => {
  test.each([
    ['quay.io/jetstack/cert-manager-controller:v1.21.1@sha256:' + 'b'.repeat(64), undefined],
    ['registry:5000/team/app@sha256:' + 'a'.repeat(64), undefined],
    ['quay.io/jetstack/cert-manager-controller:v1.21.1', /not pinned by digest/],
    ['docker.io/falcosecurity/falco', /no tag and no digest/],
    ['registry:5000/team/app', /no tag/],
    ['busybox:latest', /latest/],
    ['busybox:1.0@sha256:short', /not pinned by digest/],
  ])('%s', (reference, problem) => {
    const found = imageProblem(reference);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  const pod = (name: string, image: string): KubernetesObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x' }, spec: { containers: [{ name: 'c', image }] } });

  test('GIVEN a manifest with a tag-only image and chart values with a tag-only image THEN both fail, and digest-pinned ones pass', () => {
    const release = find(objects, 'HelmRelease', 'falco');
    const withTag = { ...release, spec: { ...(release.spec as object), values: { image: { registry: 'docker.io', repository: 'falcosecurity/falco', tag: '0.44.1' } } } };
    const withDigestKey = { ...release, spec: { ...(release.spec as object), values: { image: { repository: 'quay.io/x/y', tag: 'v1', digest: `sha256:${'c'.repeat(64)}` } } } };
    const findings = imageDigestFindings([pod('a', 'nginx:1.27.3'), pod('b', `nginx:1.27.3@sha256:${'d'.repeat(64)}`), withTag, withDigestKey]);
    expect(results(findings)).toEqual(['fail', 'pass', 'fail', 'pass']);
    expect(findings[2]!.reason).toMatch(/\.spec\.values\.image: image docker\.io\/falcosecurity\/falco:0\.44\.1 is not pinned by digest/);
  });

  test('GIVEN the rendered tree THEN each declared image is judged once, failing exactly when images.ts records no digest', () => {
    const findings = imageDigestFindings(objects, tree.components);
    const declared = findings.filter((f) => f.resource.startsWith('image/'));
    const unpinned = tree.components.flatMap((c) => c.images ?? []).filter((image) => image.digest === undefined);
    expect(declared.filter((f) => f.result === 'fail').map((f) => f.resource).sort()).toEqual([...new Set(unpinned.map((image) => `image/${image.registry}/${image.repository}:${image.tag}`))].sort());
    // The objects naming those images are not failed a second time for them.
    expect(findings.filter((f) => !f.resource.startsWith('image/') && f.result === 'fail')).toEqual([]);
  });

  test('GIVEN nothing declared and no image set THEN the rule fails rather than passing silently', () => {
    expect(results(imageDigestFindings([]))).toEqual(['fail']);
  });
});

describe('ADR15-GITOPS-3 schemas', () => {
  test('GIVEN every rendered object of the Flux and the Argo CD tree THEN each is judged by a strict schema and passes', async () => {
    const argo = renderEnv('dev', EXAMPLE.replace('  controller: flux\n', '  controller: argocd\n')).objects;
    const findings = await schemaFindings([...objects, ...argo]);
    expect(findings.filter((f) => f.result !== 'pass')).toEqual([]);
    for (const kind of ['HelmRelease', 'HelmRepository', 'Kustomization', 'Application', 'ValidatingPolicy', 'PolicyException', 'Namespace']) {
      expect([...objects, ...argo].some((o) => o.kind === kind), kind).toBe(true);
    }
  });

  const release = find(objects, 'HelmRelease', 'falco') as Record<string, any>;
  const policy = objects.find((o) => o.kind === 'ValidatingPolicy') as Record<string, any>;
  const exception = objects.find((o) => o.kind === 'PolicyException') as Record<string, any>;
  const repository = objects.find((o) => o.kind === 'HelmRepository') as Record<string, any>;
  const kustomization = objects.find((o) => o.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit')) as Record<string, any>;
  test.each([
    ['an unknown HelmRelease spec field', { ...release, spec: { ...release.spec, bogus: true } }, /spec has unknown field "bogus"/],
    ['valuesFile, removed in HelmRelease v2', { ...release, spec: { ...release.spec, valuesFile: 'values.yaml' } }, /unknown field "valuesFile"/],
    ['patchesJson6902, removed in HelmRelease v2', { ...release, spec: { ...release.spec, postRenderers: [{ kustomize: { patchesJson6902: [] } }] } }, /kustomize has unknown field "patchesJson6902"/],
    ['an unknown field in the chart template', { ...release, spec: { ...release.spec, chart: { spec: { ...release.spec.chart.spec, valuesFile: 'x' } } } }, /chart\/spec has unknown field "valuesFile"/],
    ['an unknown metadata field', { ...release, metadata: { ...release.metadata, lables: {} } }, /metadata has unknown field "lables"/],
    ['a validationAction typo in a ValidatingPolicy', { ...policy, spec: { ...policy.spec, validationAction: ['Deny'] } }, /validationAction/],
    ['an unknown PolicyException field', { ...exception, spec: { ...exception.spec, namespaces: ['kube-system'] } }, /namespaces/],
    ['an unknown HelmRepository field', { ...repository, spec: { ...repository.spec, bogus: true } }, /spec has unknown field "bogus"/],
    ['an unknown Flux Kustomization field', { ...kustomization, spec: { ...kustomization.spec, validation: 'client' } }, /unknown field "validation"/],
  ])('GIVEN %s THEN ADR15-GITOPS-3 fails on it with no CRD at hand', async (_what, object, reason) => {
    const [found] = await schemaFindings([object as unknown as KubernetesObject]);
    expect(found!.result).toBe('fail');
    expect(found!.reason).toMatch(reason);
  });

  test('GIVEN free-form chart values THEN any key in them is accepted', async () => {
    const [found] = await schemaFindings([{ ...release, spec: { ...release.spec, values: { anything: { nested: [{ at: 'all' }] } } } } as unknown as KubernetesObject]);
    expect(found!.result).toBe('pass');
  });

  test('GIVEN a broken Namespace, a broken HelmRelease and an unknown kind THEN each fails', async () => {
    const brokenNamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', labels: { a: 1 } } } as unknown as KubernetesObject;
    const release = find(objects, 'HelmRelease', 'falco');
    const brokenRelease = { ...release, spec: { ...(release.spec as object), interval: undefined } };
    const unknown: KubernetesObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const findings = await schemaFindings([brokenNamespace, brokenRelease, unknown]);
    expect(results(findings)).toEqual(['fail', 'fail', 'fail']);
    expect(findings[0]!.reason).toMatch(/labels/);
    expect(findings[1]!.reason).toMatch(/interval/);
    expect(findings[2]!.reason).toMatch(/no schema known/);
  });
});

describe('ADR15-GITOPS-4 policies compile', () => {
  test('GIVEN the ADR policy set THEN every policy compiles', () => {
    const findings = policyCompileFindings(tree);
    expect(findings.length).toBe(objects.filter((o) => o.kind === 'ValidatingPolicy').length);
    expect(new Set(results(findings))).toEqual(new Set(['pass']));
  });

  test('GIVEN a policy with a broken CEL expression THEN it fails with the compile error', () => {
    const broken: KubernetesObject = {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'broken' },
      spec: {
        validationActions: ['Audit'],
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
        validations: [{ expression: 'object.spec.containers.all(c, ' }],
      },
    };
    const brokenTree: ClusterTree = { ...tree, files: [{ path: 'x/manifests.yaml', objects: [broken] }] };
    const findings = policyCompileFindings(brokenTree);
    expect(results(findings)).toEqual(['fail']);
    expect(findings[0]!.resource).toBe('ValidatingPolicy//broken');
    expect(findings[0]!.reason).toMatch(/CEL syntax error/);
  });
});

describe('ADR15-GITOPS-5: the layers agree', () => {
  test('GIVEN a matching AWS template THEN every cross-layer check passes', async () => {
    const findings = await clusterGates({ context, tree, templates: [template()] });
    expect(findings.filter((f) => f.result === 'fail' && !isUnestablishedDigest(f))).toEqual([]);
    expect(findings.filter((f) => f.id === 'ADR15-GITOPS-5').map((f) => f.resource)).toEqual([
      'ServiceAccount/falco/falco-falcosidekick',
      'ServiceAccount/bottlerocket-cis/cis-collector',
      'ServiceAccount/cluster-autoscaler/cluster-autoscaler',
      `bucket/${env.evidenceBucketName}`,
    ]);
  });

  test('GIVEN no AWS template THEN the cross-layer rules fail rather than pass', async () => {
    const findings = await clusterGates({ context, tree, templates: [] });
    expect(findings.filter((f) => f.resource === 'aws-layer').map((f) => [f.id, f.result])).toEqual([['ADR15-GITOPS-5', 'fail']]);
  });

  test('GIVEN an association for a misspelt service account THEN both the unbound account and the stray association fail', () => {
    const findings = podIdentityFindings(tree.components, [template({ associations: [['falco', 'falcosidekick'], CIS, AUTOSCALER] })]);
    expect(findings.map((f) => [f.resource, f.result])).toEqual([
      ['ServiceAccount/falco/falco-falcosidekick', 'fail'],
      ['ServiceAccount/bottlerocket-cis/cis-collector', 'pass'],
      ['ServiceAccount/cluster-autoscaler/cluster-autoscaler', 'pass'],
      ['fedplat-dev/PodIdentity0', 'fail'],
    ]);
  });

  test('GIVEN an association outside the cluster layer namespaces THEN it is not the cluster layer\'s concern', () => {
    const findings = podIdentityFindings(tree.components, [template({ associations: [FALCOSIDEKICK, CIS, AUTOSCALER, ['kube-system', 'ebs-csi-controller-sa']] })]);
    expect(results(findings)).toEqual(['pass', 'pass', 'pass']);
  });

  test.each([['another-bucket'], [{ Ref: 'BucketName' }]])('GIVEN bucket name %j THEN the bucket check fails', (bucket) => {
    expect(results(bucketFindings(context, [template({ bucket })]))).toEqual(['fail']);
  });

  test('GIVEN a node group without the updater-interface label THEN ADR15-UPD-1 fails it by its construct path, and GITOPS-5 does not judge it again', async () => {
    const nodegroups = template({ labels: [{ [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value }, { workload: 'batch' }] });
    (nodegroups.template.Resources!.Nodegroup1 as { Metadata?: unknown }).Metadata = { 'aws:cdk:path': 'fedplat-dev/Cluster/NodegroupBatch/Resource' };
    const updater = evaluateAdrRules(nodegroups.template, nodegroups.stackPath).filter((f) => f.id === 'ADR15-UPD-1');
    expect(updater.map((f) => [f.resource, f.result])).toEqual([
      ['fedplat-dev/Nodegroup0', 'pass'],
      ['fedplat-dev/Cluster/NodegroupBatch/Resource', 'fail'],
    ]);
    const crossLayer = await clusterGates({ context, tree, templates: [nodegroups] });
    expect(crossLayer.filter((f) => f.resource.includes('Nodegroup'))).toEqual([]);
  });
});
