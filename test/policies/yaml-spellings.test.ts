/**
 * The ADR policy set judges the object the cluster would run: YAML 1.1 spellings that kubectl,
 * Helm and the Kyverno CLI read as booleans, integers or merges are read the same way here.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPolicySet, parseObjects, type PolicyEngine, type PolicyResult } from '../../src/policy-engine/index.js';
import { POLICY_DIR } from '../../src/policies/index.js';

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicySet([POLICY_DIR], []);
});

const verdicts = (yaml: string) => {
  const byPolicy: Record<string, PolicyResult['result']> = {};
  for (const r of engine.evaluate(parseObjects('spelling.yaml', yaml))) byPolicy[r.policy.replace(/^bottlerocket-/, '')] = r.result;
  return byPolicy;
};

/** A pod every ADR policy passes, with `extra` spliced into the container's securityContext and the pod spec. */
function pod(containerSecurity: string, podSpec = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: spelled
  namespace: team-a
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile: {type: RuntimeDefault}
${podSpec}
  containers:
  - name: app
    image: registry.example.com/app:1
    securityContext:
      capabilities: {drop: [ALL]}
${containerSecurity}
`;
}

describe('YAML 1.1 spellings are read as the API server reads them', () => {
  test('the baseline pod passes every policy', () => {
    const results = verdicts(pod('      allowPrivilegeEscalation: false'));
    expect(Object.values(results).every((r) => r === 'pass')).toBe(true);
  });

  test('a restricted pod written with `allowPrivilegeEscalation: no` passes', () => {
    expect(verdicts(pod('      allowPrivilegeEscalation: no'))['restrict-escalation']).toBe('pass');
    expect(verdicts(pod('      allowPrivilegeEscalation: Off'))['restrict-escalation']).toBe('pass');
  });

  test.each([
    ['privileged: yes', 'disallow-privileged', pod('      allowPrivilegeEscalation: false\n      privileged: yes')],
    ['privileged: on', 'disallow-privileged', pod('      allowPrivilegeEscalation: false\n      privileged: on')],
    ['hostNetwork: on', 'disallow-host-network', pod('      allowPrivilegeEscalation: false', '  hostNetwork: on')],
    ['hostPID: y', 'disallow-host-pid-ipc', pod('      allowPrivilegeEscalation: false', '  hostPID: y')],
    ['runAsUser: 0_0', 'disallow-uid-zero', pod('      allowPrivilegeEscalation: false\n      runAsUser: 0_0')],
    ['runAsUser: 00 (octal zero)', 'disallow-uid-zero', pod('      allowPrivilegeEscalation: false\n      runAsUser: 00')],
  ])('%s fails %s', (_name, policy, yaml) => {
    expect(verdicts(yaml)[policy]).toBe('fail');
  });

  test('a merge key carrying privileged: true is merged, even written after `privileged: false`', () => {
    const yaml = pod('      allowPrivilegeEscalation: false\n      privileged: false\n      <<: {privileged: true}');
    expect(verdicts(yaml)['disallow-privileged']).toBe('fail');
  });

  test('`initContainers: null` is dropped as the API server drops it, so the other checks still run', () => {
    const yaml = pod('      allowPrivilegeEscalation: false\n      privileged: true\n      runAsUser: 0', '  initContainers: null\n  ephemeralContainers: ~');
    const results = verdicts(yaml);
    expect(Object.values(results)).not.toContain('error');
    expect(results['disallow-privileged']).toBe('fail');
    expect(results['disallow-uid-zero']).toBe('fail');
  });

  test('a quoted "true" for a bool field is an invalid object (the API server refuses it), reported as error by every policy', () => {
    const results = verdicts(pod('      allowPrivilegeEscalation: false\n      privileged: "true"'));
    expect(new Set(Object.values(results))).toEqual(new Set(['error']));
    const messages = engine.evaluate(parseObjects('q.yaml', pod('      allowPrivilegeEscalation: "false"'))).map((r) => r.message);
    expect(messages[0]).toMatch(/spec\.containers\[0\]\.securityContext\.allowPrivilegeEscalation: expected a boolean, got string "false"/);
  });

  test('a string for an integer field and a number for a string field are invalid too', () => {
    expect(new Set(Object.values(verdicts(pod('      allowPrivilegeEscalation: false\n      runAsUser: "0"'))))).toEqual(new Set(['error']));
    expect(new Set(Object.values(verdicts(pod('      allowPrivilegeEscalation: false').replace('name: app', 'name: 1.5'))))).toEqual(new Set(['error']));
  });

  test('quantities may be numbers or strings', () => {
    const yaml = pod('      allowPrivilegeEscalation: false').replace('    securityContext:\n      capabilities', "    resources: {limits: {cpu: 1, memory: '1Gi'}}\n    securityContext:\n      capabilities");
    expect(Object.values(verdicts(yaml)).every((r) => r === 'pass')).toBe(true);
  });
});
