import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/policy-engine/index.js';
import { TEST_DIR } from '../../src/policies/index.js';
import { runCli } from '../support/cli.js';
import { loadPolicyFiles } from './policy-files.js';

/** Result entries in src/policies/tests, counted once per resource (474 policy cases, 60 system-component and 48 EKS add-on exception cases). */
const EXPECTED_CASES = 582;

describe('ADR-15 Kyverno CLI suites', () => {
  it('GIVEN the shipped suites WHEN `policy test` runs THEN every case passes', async () => {
    const run = await runCli(['policy', 'test', TEST_DIR]);

    expect(run.stdout).toBe(`${EXPECTED_CASES} passed, 0 failed\n`);
    expect(run.code).toBe(0);
  });

  it('GIVEN the suites THEN every pod policy has passing and failing Pods, Deployments and CronJobs', async () => {
    const { tests } = await runTests([TEST_DIR]);
    const seen = new Set(tests.filter((t) => t.ok).map((t) => `${t.policy} ${t.resource.split('/')[0]} ${t.expected}`));
    const podPolicies = (await loadPolicyFiles()).policies.filter((p) => p.podPolicy).map((p) => p.name);

    expect(podPolicies).toHaveLength(15);
    for (const policy of podPolicies) {
      for (const kind of ['Pod', 'Deployment', 'CronJob']) {
        expect(seen, `${policy} ${kind}`).toContain(`${policy} ${kind} pass`);
        expect(seen, `${policy} ${kind}`).toContain(`${policy} ${kind} fail`);
      }
    }
  });

  it('GIVEN the exception suite THEN exceptions skip the component and its look-alikes still fail', async () => {
    const { tests } = await runTests([`${TEST_DIR}exceptions`]);

    expect(tests.filter((t) => !t.ok)).toEqual([]);
    expect(tests.filter((t) => t.actual === 'skip').length).toBe(35);
    expect(tests.filter((t) => t.actual === 'fail').map((t) => t.resource).sort()).toEqual([
      'DaemonSet/kube-system/aws-node-lookalike-registry',
      'DaemonSet/kube-system/aws-node-lookalike-registry',
      'DaemonSet/kube-system/aws-node-lookalike-registry',
      'DaemonSet/kube-system/aws-node-lookalike-registry',
      'DaemonSet/kube-system/aws-node-with-sidecar',
      'DaemonSet/kube-system/aws-node-with-sidecar',
      'DaemonSet/kube-system/aws-node-with-sidecar',
      'DaemonSet/kube-system/aws-node-with-sidecar',
      'DaemonSet/kube-system/ebs-csi-node-windows',
      'DaemonSet/kube-system/ebs-csi-node-windows',
      'DaemonSet/team-a/aws-node',
      'DaemonSet/team-a/aws-node',
      'DaemonSet/team-a/aws-node',
      'DaemonSet/team-a/aws-node',
      'Deployment/brupop-bottlerocket-aws/brupop-controller-deployment',
      'Deployment/falco/falco-falcosidekick',
      'Deployment/falco/falco-falcosidekick',
      'Deployment/falco/falco-falcosidekick',
      'Deployment/falco/falco-falcosidekick',
      'Deployment/kube-system/ebs-csi-controller-with-sidecar',
      'Deployment/kube-system/ebs-csi-controller-with-sidecar',
      'Pod/brupop-bottlerocket-aws/brupop-agent-debugged',
      'Pod/brupop-bottlerocket-aws/brupop-agent-debugged',
      'Pod/brupop-bottlerocket-aws/brupop-agent-debugged',
      'Pod/brupop-bottlerocket-aws/brupop-agent-debugged',
    ]);
  });

  it('GIVEN the EKS add-on suite THEN CoreDNS and the Pod Identity agent are skipped only by their own exceptions and every look-alike still fails', async () => {
    const { tests } = await runTests([`${TEST_DIR}system-addons`]);
    const resources = (actual: string) => [...new Set(tests.filter((t) => t.actual === actual).map((t) => t.resource))].sort();

    expect(tests.filter((t) => !t.ok)).toEqual([]);
    expect(resources('skip')).toEqual(['DaemonSet/kube-system/eks-pod-identity-agent', 'Deployment/kube-system/coredns', 'Pod/kube-system/coredns-6d9f7b4c8-x2k4q', 'Pod/kube-system/eks-pod-identity-agent-7m2xq']);
    expect(resources('fail')).toEqual([
      'Pod/kube-system/coredns-lookalike-account',
      'Pod/kube-system/coredns-lookalike-label',
      'Pod/kube-system/eks-pod-identity-agent-lookalike-repository',
      'Pod/team-a/eks-pod-identity-agent-lookalike-namespace',
    ]);
  });
});
