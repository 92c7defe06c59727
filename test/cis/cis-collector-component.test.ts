import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { API_SOCKET_GID, cisCollectorComponent } from '../../src/cluster/components/cis-collector.js';
import { DEFAULT_POLICY_DIR, loadPolicySet, parseObjects } from '../../src/policy-engine/index.js';
import { readFileSync } from 'node:fs';

const EXCEPTION = fileURLToPath(new URL('../../src/policies/exceptions/cis-collector.yaml', import.meta.url));
const platform = parsePlatformModel('platform.yaml', readFileSync('platform.yaml', 'utf8'));
const prod = platform.environments.find((e) => e.name === 'prod')!;
const component = cisCollectorComponent({ platform, env: prod });
const daemonSet = component.manifests.find((m) => m.kind === 'DaemonSet') as any;
const pod = daemonSet.spec.template.spec;
const container = pod.containers[0];

describe('the CIS collector DaemonSet', () => {
  test('runs the collector in loop mode with the environment\'s bucket, cluster, levels and interval', () => {
    expect(container.image).toBe(prod.cis.image);
    expect(container.args).toEqual(['cis', 'collect', '--loop']);
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      NODE_NAME: { fieldRef: { fieldPath: 'spec.nodeName' } },
      CLUSTER_NAME: 'fedplat-prod',
      CIS_EVIDENCE_BUCKET: prod.evidenceBucketName,
      CIS_KUBERNETES_LEVELS: '1,2',
      CIS_INTERVAL_HOURS: '12',
    });
  });

  test('least privilege: only the API socket, control_t, non-root, read-only, no capabilities, limits', () => {
    expect(pod.volumes).toEqual([{ name: 'api-socket', hostPath: { path: '/run/api.sock', type: 'Socket' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'api-socket', mountPath: '/run/api.sock', readOnly: true }]);
    expect(container.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seLinuxOptions: { type: 'control_t' } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, supplementalGroups: [API_SOCKET_GID], seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(pod.serviceAccountName).toBe(WORKLOADS.cisCollector.serviceAccount);
    expect(daemonSet.metadata.namespace).toBe(WORKLOADS.cisCollector.namespace);
    expect(component.awsIdentities).toEqual([WORKLOADS.cisCollector]);
  });

  test('its RBAC is get on nodes, nothing else', () => {
    const role = component.manifests.find((m) => m.kind === 'ClusterRole') as any;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
  });

  test('tolerates every node group taint (staging has a tainted batch group)', () => {
    const staging = platform.environments.find((e) => e.name === 'staging')!;
    const tolerations = (cisCollectorComponent({ platform, env: staging }).manifests.find((m) => m.kind === 'DaemonSet') as any).spec.template.spec.tolerations;
    expect(tolerations).toEqual([{ key: 'workload', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }]);
  });

  test('an image from another repository is refused when the config resolves (its PolicyException would not match)', () => {
    const text = readFileSync('platform.yaml', 'utf8').replace(/image: \S+bottlerocket-eks-cis-collector:0\.1\.0@/g, 'image: registry.example/other-name@');
    expect(() => parsePlatformModel('platform.yaml', text)).toThrow(/repository named bottlerocket-eks-cis-collector/);
  });
});

describe('its PolicyException against the ADR policies', () => {
  const objects = parseObjects('cis-collector.yaml', stringify(daemonSet));
  const failing = (results: Array<{ policy: string; result: string }>) => results.filter((r) => r.result === 'fail').map((r) => r.policy).sort();

  test('without the exception it fails exactly the three policies the exception names', async () => {
    const engine = await loadPolicySet([DEFAULT_POLICY_DIR], []);
    expect(failing(engine.evaluate(objects))).toEqual(['bottlerocket-restrict-api-socket', 'bottlerocket-restrict-selinux-labels', 'bottlerocket-restrict-system-mounts']);
  });

  test('with the exception every ADR policy passes or is excepted', async () => {
    const engine = await loadPolicySet([DEFAULT_POLICY_DIR], [EXCEPTION]);
    const results = engine.evaluate(objects);
    expect(failing(results)).toEqual([]);
    expect(results.filter((r) => r.exceptions?.includes('kyverno/cis-collector')).length).toBe(3);
  });

  test('the exception does not cover the same pod with another image', async () => {
    const other = structuredClone(daemonSet);
    other.spec.template.spec.containers[0].image = `registry.example/bottlerocket-eks-cis-collector:latest`;
    const engine = await loadPolicySet([DEFAULT_POLICY_DIR], [EXCEPTION]);
    expect(failing(engine.evaluate(parseObjects('other.yaml', stringify(other))))).toHaveLength(3);
  });
});
