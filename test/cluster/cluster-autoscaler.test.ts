/**
 * The Cluster Autoscaler component: on where a node group can change size, its values (discovery
 * by this cluster's tags, the region, the Pod Identity service account, the image of the cluster's
 * Kubernetes minor, a restricted pod), and the refusals of the resolve pass for configs it could
 * not serve.
 */
import { describe, expect, test } from 'vitest';
import { CLUSTER_AUTOSCALER_RELEASES } from '../../src/common/cluster-autoscaler.js';
import { WORKLOADS } from '../../src/common/names.js';
import { CLUSTER_AUTOSCALER_IMAGES, IMAGES } from '../../src/cluster/images.js';
import { listImages } from '../../src/cluster/image-list.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { userInputErrorOf } from '../support/refusal.js';
import { EXAMPLE, find, loadExample, renderEnv } from './fixture.js';

type Values = Record<string, any>;

function edited(text: string, from: string | RegExp, to: string): string {
  const result = text.replace(from, to);
  if (result === text) throw new Error(`fixture edit found nothing to replace: ${String(from)}`);
  return result;
}

/** The example with `clusterAutoscaler: <block>` in every environment. */
const withSetting = (block: string, text = EXAMPLE) => edited(text, /^(\s+)cis:\n/gm, `$1clusterAutoscaler: ${block}\n$1cis:\n`);

const values = (name: string, text = EXAMPLE): Values => (find(renderEnv(name, text).objects, 'HelmRelease', 'cluster-autoscaler').spec as { values: Values }).values;

describe('GIVEN the example (every environment has a node group that can change size)', () => {
  test.each(['dev', 'staging', 'prod'])('THEN %s installs the Cluster Autoscaler from the pinned chart in its own restricted namespace', (name) => {
    const { objects, env } = renderEnv(name);
    expect(env.clusterAutoscaler).toEqual({ enabled: true, expander: 'least-waste' });
    const release = find(objects, 'HelmRelease', 'cluster-autoscaler');
    expect(release.metadata.namespace).toBe(WORKLOADS.clusterAutoscaler.namespace);
    expect((release.spec as Values).chart.spec).toMatchObject({ chart: 'cluster-autoscaler', version: '9.59.0' });
    expect(find(objects, 'HelmRepository', 'autoscaler').spec).toMatchObject({ url: 'https://kubernetes.github.io/autoscaler' });
    expect(find(objects, 'Namespace', WORKLOADS.clusterAutoscaler.namespace).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('THEN staging discovers exactly its own node groups by tag, in its region, as the Pod Identity service account', () => {
    const { env, tree } = renderEnv('staging');
    const v = values('staging');
    expect(v).toMatchObject({
      cloudProvider: 'aws',
      awsRegion: 'us-gov-west-1',
      autoDiscovery: { clusterName: env.clusterName, tags: [`k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/${env.clusterName}`] },
      rbac: { serviceAccount: { create: true, name: WORKLOADS.clusterAutoscaler.serviceAccount } },
      fullnameOverride: 'cluster-autoscaler',
    });
    expect(env.clusterName).toBe('fedplat-staging');
    expect(tree.components.find((component) => component.name === 'cluster-autoscaler')?.awsIdentities).toEqual([WORKLOADS.clusterAutoscaler]);
  });

  test('THEN the arguments balance similar groups, use the configured expander and let emptyDir pods move', () => {
    expect(values('prod').extraArgs).toEqual({ expander: 'least-waste', 'balance-similar-node-groups': true, 'skip-nodes-with-local-storage': false });
    expect(values('prod', withSetting('{ expander: most-pods }')).extraArgs.expander).toBe('most-pods');
  });

  test('THEN the pod runs as the image\'s non-root user with RuntimeDefault seccomp, no capabilities and a read-only root', () => {
    const v = values('dev');
    expect(v.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
  });

  test('THEN in GovCloud its AWS SDK is sent to the FIPS endpoints', () => {
    expect(values('dev').extraEnv).toEqual({ AWS_USE_FIPS_ENDPOINT: 'true' });
    const commercial = edited(EXAMPLE, /region: us-gov-west-1/g, 'region: us-east-1').replace(/arn:aws-us-gov:/g, 'arn:aws:').replace(/fips: true/g, 'fips: false').replace(/us-gov-west-1/g, 'us-east-1');
    expect(values('dev', commercial).extraEnv).toBeUndefined();
  });
});

describe('the image follows the cluster\'s Kubernetes minor', () => {
  test.each(Object.entries(CLUSTER_AUTOSCALER_RELEASES))('GIVEN Kubernetes %s THEN the chart deploys %s', (minor, tag) => {
    const text = EXAMPLE.replace(/kubernetesVersion: "1\.33"/g, `kubernetesVersion: "${minor}"`);
    expect(renderEnv('prod', text).env.kubernetesVersion).toBe(minor);
    const image = CLUSTER_AUTOSCALER_IMAGES[minor as keyof typeof CLUSTER_AUTOSCALER_IMAGES];
    expect(image.tag).toBe(tag);
    const expectedTag = image.digest === undefined ? tag : `${tag}@${image.digest}`;
    expect(values('prod', text).image).toEqual({ repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', tag: expectedTag });
  });

  test('the 1.35 release is pinned by its recorded digest; 1.33 and 1.34 say their digest is not established', () => {
    expect(IMAGES.clusterAutoscaler135.digest).toBe('sha256:aac369dc283927a623deb1af54696efcc722ae79255aa07788422e495bab887d');
    expect(IMAGES.clusterAutoscaler133.digest).toBeUndefined();
    expect(IMAGES.clusterAutoscaler134.digestSource).toMatch(/^NOT ESTABLISHED/);
  });

  test('GIVEN mirror.registry THEN the image comes from the mirror with the same tag, and the image list maps it there', () => {
    const mirror = '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/mirror';
    const text = withSetting('{}', edited(EXAMPLE, /^(\s+)cis:\n/gm, `$1mirror:\n$1  registry: ${mirror}\n$1cis:\n`));
    expect(values('staging', text).image).toEqual({ repository: `${mirror}/autoscaling/cluster-autoscaler`, tag: 'v1.33.6' });
    const entry = listImages(loadExample(text), ['staging']).find((candidate) => candidate.components.includes('cluster-autoscaler'));
    expect(entry).toMatchObject({ source: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6', target: `${mirror}/autoscaling/cluster-autoscaler:v1.33.6` });
  });
});

describe('GIVEN clusterAutoscaler.enabled: false', () => {
  const text = withSetting('{ enabled: false }');

  test('THEN no environment installs it: no folder, release, namespace or image', () => {
    const { tree, objects, env } = renderEnv('staging', text);
    expect(env.clusterAutoscaler.enabled).toBe(false);
    expect(tree.components.map((component) => component.name)).not.toContain('cluster-autoscaler');
    expect(tree.files.filter((file) => file.path.startsWith('cluster-autoscaler/'))).toEqual([]);
    expect(objects.filter((object) => object.metadata.name === 'cluster-autoscaler' || object.metadata.namespace === 'cluster-autoscaler')).toEqual([]);
    expect(listImages(loadExample(text)).filter((entry) => entry.source.includes('cluster-autoscaler'))).toEqual([]);
  });

  test('THEN a Kubernetes minor without a recorded release is accepted', () => {
    const model = parsePlatformModel('platform.yaml', edited(text, /kubernetesVersion: "1\.33"/g, 'kubernetesVersion: "1.36"'));
    expect(model.environments.map((env) => env.kubernetesVersion)).toEqual(['1.36', '1.36', '1.36']);
  });
});

describe('the default', () => {
  test('GIVEN every node group of an environment at a fixed size THEN the autoscaler is off there, and on where asked', () => {
    const fixed = edited(EXAMPLE, /minSize: 2\n(\s+)desiredSize: 2\n(\s+)maxSize: 6/, 'minSize: 2\n$1desiredSize: 2\n$2maxSize: 2');
    const model = parsePlatformModel('platform.yaml', fixed);
    expect(model.environments.map((env) => [env.name, env.clusterAutoscaler.enabled])).toEqual([['dev', false], ['staging', true], ['prod', true]]);
    const forced = edited(fixed, /^(\s+)evidence:\n(\s+)retentionDays: 30/m, '$1clusterAutoscaler: { enabled: true }\n$1evidence:\n$2retentionDays: 30');
    expect(parsePlatformModel('platform.yaml', forced).environments[0]!.clusterAutoscaler.enabled).toBe(true);
  });
});

describe('GIVEN a config the autoscaler could not serve THEN the resolve pass refuses it with position and field path', () => {
  test('a Kubernetes minor with no recorded release, with the autoscaler on by default', () => {
    const text = edited(EXAMPLE, 'kubernetesVersion: "1.33"', 'kubernetesVersion: "1.36"');
    const error = userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config');
    expect(error.format().split('\n')[0]).toMatch(
      /^platform\.yaml:24:24: environments\[0\]\.kubernetesVersion: a node group has maxSize > minSize, so the Cluster Autoscaler is on by default, but no Cluster Autoscaler release is recorded for Kubernetes 1\.36 .*known: 1\.33, 1\.34, 1\.35\). Use one of those versions, or set clusterAutoscaler\.enabled: false$/,
    );
  });

  test('a taint without a value on a node group that can be at zero nodes', () => {
    const text = edited(EXAMPLE, '          - key: workload\n            value: batch\n            effect: NoSchedule', '          - key: workload\n            effect: NoSchedule');
    const error = userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config');
    expect(error.format().split('\n')[0]).toMatch(/^platform\.yaml:\d+:\d+: environments\[1\]\.nodeGroups\[1\]\.taints\[0\]: node group "graviton" can be at zero nodes, .* Give the taint a value/);
    // The same taint on a group that never goes below one node is fine: the autoscaler learns it from the nodes.
    expect(() => parsePlatformModel('platform.yaml', edited(text, 'minSize: 0\n        desiredSize: 0', 'minSize: 1\n        desiredSize: 1'))).not.toThrow();
    // And with the autoscaler off nothing reads it.
    expect(() => parsePlatformModel('platform.yaml', withSetting('{ enabled: false }', text))).not.toThrow();
  });

  test('an unknown expander or field is refused by the schema', () => {
    expect(() => parsePlatformModel('platform.yaml', withSetting('{ expander: price }'))).toThrow(/expander/);
    expect(() => parsePlatformModel('platform.yaml', withSetting('{ scaleDown: fast }'))).toThrow(/scaleDown/);
  });
});
