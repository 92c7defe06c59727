/** Bottlerocket guidance items the pod policies alone cannot see: debug containers added later, and the checks the restricted profile adds (seccomp, drop ALL). */
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPolicySet, parseObjects, type PolicyEngine } from '../../src/policy-engine/index.js';
import { POLICY_DIR } from '../../src/policies/index.js';
import { manifestYaml } from '../policy-engine/fixtures.js';

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicySet([POLICY_DIR], []);
});

const EPHEMERAL = 'bottlerocket-restrict-ephemeral-containers';
const restricted = { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
const debugged = (securityContext: Record<string, unknown>) =>
  parseObjects(
    'debug.yaml',
    manifestYaml({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: {
        containers: [{ name: 'app', image: 'registry.example.com/app:1', securityContext: restricted }],
        ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext }],
      },
    }),
  );

describe('pods/ephemeralcontainers', () => {
  test('kubectl debug --profile=sysadmin (privileged) is reported on the subresource request', () => {
    const results = engine.evaluate(debugged({ privileged: true }), new Map(), { operation: 'UPDATE', subresource: 'ephemeralcontainers' });
    expect(results.map((r) => [r.policy, r.result])).toEqual([[EPHEMERAL, 'fail']]);
  });

  test('a restricted debug container passes; the subresource policy does not run on the pod itself', () => {
    expect(engine.evaluate(debugged(restricted), new Map(), { operation: 'UPDATE', subresource: 'ephemeralcontainers' }).map((r) => r.result)).toEqual(['pass']);
    expect(engine.evaluate(debugged(restricted)).some((r) => r.policy === EPHEMERAL)).toBe(false);
  });
});

describe('seccomp, capabilities and Windows pods', () => {
  const pod = (spec: Record<string, unknown>) => parseObjects('p.yaml', manifestYaml({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' }, spec }));
  const verdict = (spec: Record<string, unknown>, policy: string) => engine.evaluate(pod(spec)).find((r) => r.policy === policy)?.result;

  test('a pod with no seccomp profile fails (aws-k8s variants run it Unconfined); RuntimeDefault passes', () => {
    expect(verdict({ containers: [{ name: 'a', image: 'i' }] }, 'bottlerocket-require-seccomp')).toBe('fail');
    expect(verdict({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', image: 'i' }] }, 'bottlerocket-require-seccomp')).toBe('pass');
  });

  test('the runtime default capability set (NET_RAW) fails; drop ALL passes', () => {
    expect(verdict({ containers: [{ name: 'a', image: 'i' }] }, 'bottlerocket-require-drop-all')).toBe('fail');
    expect(verdict({ containers: [{ name: 'a', image: 'i', securityContext: { capabilities: { drop: ['ALL'] } } }] }, 'bottlerocket-require-drop-all')).toBe('pass');
  });

  test('a restricted Windows pod passes every policy that applies to it', () => {
    const windows = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', image: 'i' }] });
    const results = engine.evaluate(windows);
    expect(results.filter((r) => r.result !== 'pass').map((r) => r.policy)).toEqual([]);
  });
});
