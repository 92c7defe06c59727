import { describe, expect, it } from 'vitest';
import { loadPolicySet } from '../../src/policy-engine/index.js';
import { EXCEPTION_DIR, POLICY_DIR, PRIVILEGED_FALCO_EXCEPTION } from '../../src/policies/index.js';
import { loadPolicyFiles } from './policy-files.js';

/** Bottlerocket SECURITY_GUIDANCE items ADR-15 says Kyverno audits, and the policies auditing each. */
const GUIDANCE: Record<string, readonly string[]> = {
  'Avoid privileged containers': [
    'bottlerocket-disallow-privileged',
    'bottlerocket-replicationcontrollers',
    'bottlerocket-require-drop-all',
    'bottlerocket-require-seccomp',
    'bottlerocket-restrict-ephemeral-containers',
    'bottlerocket-restrict-escalation',
  ],
  'Restrict access to the host API socket': ['bottlerocket-restrict-api-socket'],
  'Restrict access to the container runtime socket': ['bottlerocket-restrict-runtime-sockets'],
  'Limit use of privileged SELinux labels': ['bottlerocket-restrict-selinux-labels'],
  'Limit access to system mounts': ['bottlerocket-restrict-csi-inline-volumes', 'bottlerocket-restrict-persistent-volumes', 'bottlerocket-restrict-system-mounts'],
  'Limit access to host namespaces': ['bottlerocket-disallow-host-network', 'bottlerocket-disallow-host-pid-ipc'],
  'Limit access to block devices': ['bottlerocket-restrict-block-devices', 'bottlerocket-restrict-block-volume-claims'],
  'Enforce requested NVIDIA GPU limits for unprivileged containers': ['bottlerocket-restrict-gpu-devices'],
  'Do not run containers as UID 0': ['bottlerocket-disallow-root-group', 'bottlerocket-disallow-uid-zero'],
};

const POD_CONTROLLERS = ['daemonsets', 'deployments', 'jobs', 'cronjobs', 'replicasets', 'statefulsets'];

describe('ADR-15 policy set', () => {
  it('GIVEN the policy files THEN each SECURITY_GUIDANCE item is audited by exactly its policies', async () => {
    const { policies } = await loadPolicyFiles();
    const byItem: Record<string, string[]> = {};
    for (const p of policies) (byItem[p.doc.metadata.annotations['bottlerocket-eks/security-guidance']] ??= []).push(p.name);

    expect(Object.fromEntries(Object.entries(byItem).map(([k, v]) => [k, v.sort()]))).toEqual(GUIDANCE);
    for (const p of policies) expect(p.file).toBe(`${p.name}.yaml`);
  });

  it('GIVEN each policy THEN it is a v1 Audit policy with background scans and the ADR annotations', async () => {
    const { policies } = await loadPolicyFiles();
    for (const { name, doc, podPolicy } of policies) {
      expect(doc.apiVersion, name).toBe('policies.kyverno.io/v1');
      expect(doc.kind, name).toBe('ValidatingPolicy');
      expect(doc.spec.validationActions, name).toEqual(['Audit']);
      expect(doc.spec.evaluation.background.enabled, name).toBe(true);
      const annotations = doc.metadata.annotations;
      expect(annotations['policies.kyverno.io/category'], name).toBe('ADR-15 Bottlerocket security guidance');
      expect(['high', 'medium'], name).toContain(annotations['policies.kyverno.io/severity']);
      expect(annotations['policies.kyverno.io/title'], name).toBeTruthy();
      expect(annotations['policies.kyverno.io/description'], name).toBeTruthy();
      expect(annotations['bottlerocket-eks/nist-800-53'], name).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?(, [A-Z]{2}-\d+(\(\d+\))?)*$/);
      for (const v of doc.spec.validations) expect(v.messageExpression, `${name} message`).toBeTruthy();
      if (podPolicy) {
        expect(doc.spec.matchConstraints.resourceRules, name).toEqual([
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
        ]);
        expect([...doc.spec.autogen.podControllers.controllers].sort(), name).toEqual([...POD_CONTROLLERS].sort());
      }
    }
  });

  it('GIVEN each exception THEN it lives in namespace kyverno, names existing policies and scopes by namespace, labels and images', async () => {
    const { policies, exceptions } = await loadPolicyFiles();
    const names = new Set(policies.map((p) => p.name));

    for (const { name, doc, policies: refs, file } of exceptions) {
      expect(file, name).toBe(`${name}.yaml`);
      expect(doc.apiVersion, name).toBe('policies.kyverno.io/v1');
      expect(doc.metadata.namespace, name).toBe('kyverno');
      expect(refs.length, name).toBeGreaterThan(0);
      for (const ref of refs) expect(names, `${name} → ${ref}`).toContain(ref);
      // The CIS collector's exception is written with the CIS feature and checked by its tests.
      if (name === 'cis-collector') continue;
      // Every grant carries its reason, so the exception stays auditable.
      expect(Object.keys(doc.spec.properties).sort(), name).toEqual([...refs].sort());
      const conditions = doc.spec.matchConditions.map((c: { name: string }) => c.name);
      expect(conditions, name).toEqual(expect.arrayContaining(['namespace', 'pod-labels', 'images']));
    }
    expect(exceptions.map((e) => e.file)).toContain(PRIVILEGED_FALCO_EXCEPTION);
  });

  it('GIVEN the policies and exceptions WHEN the engine compiles them THEN every CEL expression compiles', async () => {
    const engine = await loadPolicySet([POLICY_DIR], [EXCEPTION_DIR]);

    expect(engine.policies().map((p) => p.name).sort()).toEqual(Object.values(GUIDANCE).flat().sort());
  });
});
