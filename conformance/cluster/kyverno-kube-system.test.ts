/**
 * Kyverno evaluates kube-system. Judged on the Kyverno chart rendered by Helm with our values: its
 * `kyverno` ConfigMap (the resource filters the admission and background controllers skip, and the
 * namespace selector Kyverno puts on its webhooks), read the way Kyverno reads them; then the
 * kube-system system components (the real renders of the VPC CNI and the EBS CSI driver, and the
 * kube-proxy add-on fixture) are not filtered, and each one's shipped exception is what lets it pass.
 * Where policies deny (prod), the admission controller is highly available.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { ENFORCE_ADMISSION_REPLICAS } from '../../src/cluster/components/kyverno.js';
import { loadPolicySet, readObjects } from '../../src/policy-engine/index.js';
import { EXCEPTION_DIR, POLICY_DIR } from '../../src/policies/index.js';
import { ENVIRONMENTS, renderedEnvironment } from '../support/cluster-renders.js';
import { referenceDocuments, referencePath } from '../support/reference.js';

function kyvernoObjects(env: string): readonly KubernetesObject[] {
  return renderedEnvironment(env).charts.find((chart) => chart.chart.chart === 'kyverno')!.objects;
}

function configMap(env: string): Record<string, string> {
  return kyvernoObjects(env).find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'kyverno')!.data as Record<string, string>;
}

/**
 * Kyverno's `[Kind,Namespace,Name]` filters, `*` and `?` as wildcards; a kind `Kind/Subresource`
 * also names the subresource (`*\/*` is every kind, with or without one; a plain kind has none).
 */
function filters(text: string): Array<[kind: RegExp, subresource: RegExp, namespace: RegExp, name: RegExp]> {
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return [...text.matchAll(/\[([^\]]*)\]/g)].map((match) => {
    const [kinds = '*', namespace = '*', name = '*'] = match[1]!.split(',');
    const [kind = '*', subresource = ''] = kinds.split('/');
    return [glob(kind), glob(subresource), glob(namespace), glob(name)];
  });
}

const filtered = (text: string, kind: string, namespace: string, name: string) =>
  filters(text).some(([k, sub, ns, n]) => k.test(kind) && sub.test('') && ns.test(namespace) && n.test(name));

test('GIVEN the chart\'s default values (the reference render) THEN this reading of the filters finds kube-system filtered', () => {
  const defaults = referenceDocuments('upstream-manifests', 'kyverno.yaml').find((doc) => doc.kind === 'ConfigMap' && (doc.metadata as { name: string }).name === 'kyverno')!;
  const data = defaults.data as Record<string, string>;
  expect(filtered(data.resourceFilters!, 'DaemonSet', 'kube-system', 'aws-node')).toBe(true);
  expect(selected(data.webhooks!, { 'kubernetes.io/metadata.name': 'kube-system' })).toBe(false);
});

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Whether a namespace with these labels is sent to Kyverno's webhooks (label selector semantics). */
function selected(webhooks: string, labels: Record<string, string>): boolean {
  const { namespaceSelector } = JSON.parse(webhooks) as { namespaceSelector: { matchLabels?: Record<string, string> | null; matchExpressions?: Requirement[] } };
  const labelsMatch = Object.entries(namespaceSelector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    labelsMatch &&
    (namespaceSelector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      return value === undefined;
    })
  );
}

const KUBE_SYSTEM_SOURCES = [
  `${referencePath('upstream-manifests')}/aws-vpc-cni.yaml`,
  `${referencePath('upstream-manifests')}/aws-ebs-csi-driver.yaml`,
  ...['kube-proxy.yaml', 'coredns.yaml', 'eks-pod-identity-agent.yaml'].map((file) => fileURLToPath(new URL(`../../test/policies/fixtures/${file}`, import.meta.url))),
];
const EXPECTED_EXCEPTIONS: Record<string, string> = {
  'DaemonSet/aws-node': 'aws-node',
  'DaemonSet/ebs-csi-node': 'ebs-csi-node',
  'DaemonSet/ebs-csi-node-windows': 'ebs-csi-node-windows',
  'Deployment/ebs-csi-controller': 'ebs-csi-controller',
  'DaemonSet/kube-proxy': 'kube-proxy',
  'Deployment/coredns': 'coredns',
  'DaemonSet/eks-pod-identity-agent': 'eks-pod-identity-agent',
};

describe.each(ENVIRONMENTS)('GIVEN the Kyverno chart rendered for %s', (env) => {
  test('THEN no resource filter hides kube-system workloads, and Kyverno still skips its own namespace', () => {
    const { resourceFilters } = configMap(env);
    for (const kind of ['Pod', 'DaemonSet', 'Deployment', 'StatefulSet', 'Job', 'CronJob']) {
      expect(filtered(resourceFilters!, kind, 'kube-system', 'aws-node'), kind).toBe(false);
    }
    expect(filtered(resourceFilters!, 'Pod', 'kyverno', 'kyverno-admission-controller-0')).toBe(true);
  });

  test('THEN the webhooks receive kube-system and every other namespace but Kyverno\'s', () => {
    const { webhooks } = configMap(env);
    const ns = (name: string) => ({ 'kubernetes.io/metadata.name': name });
    expect(['kube-system', 'falco', 'default', 'brupop-bottlerocket-aws'].map((name) => selected(webhooks!, ns(name)))).toEqual([true, true, true, true]);
    expect(selected(webhooks!, ns('kyverno'))).toBe(false);
  });
});

describe('GIVEN the kube-system system components, which Kyverno now evaluates', () => {
  test('THEN each passes only through its own shipped exception', async () => {
    const objects = await readObjects(KUBE_SYSTEM_SOURCES);
    const inKubeSystem = objects.filter(({ object }) => (object.metadata as { namespace?: string }).namespace === 'kube-system' && ['DaemonSet', 'Deployment'].includes(String(object.kind)));
    const withExceptions = (await loadPolicySet([POLICY_DIR], [EXCEPTION_DIR])).evaluate(inKubeSystem);
    const without = (await loadPolicySet([POLICY_DIR], [])).evaluate(inKubeSystem);
    expect(withExceptions.filter((result) => result.result === 'fail')).toEqual([]);
    for (const [resource, exception] of Object.entries(EXPECTED_EXCEPTIONS)) {
      const name = resource.split('/')[1]!;
      expect(without.some((result) => result.resource.name === name && result.result === 'fail'), resource).toBe(true);
      const skips = withExceptions.filter((result) => result.resource.name === name && result.result === 'skip');
      expect(skips.length, resource).toBeGreaterThan(0);
      expect(new Set(skips.flatMap((result) => result.exceptions ?? [])), resource).toEqual(new Set([`kyverno/${exception}`]));
    }
  });
});

describe('GIVEN prod, where policies deny (policy.mode Enforce)', () => {
  const objects = kyvernoObjects('prod');
  const admission = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'kyverno-admission-controller') as Record<string, any>;

  test(`THEN the admission controller runs ${ENFORCE_ADMISSION_REPLICAS} replicas spread over nodes and zones`, () => {
    expect(admission.spec.replicas).toBe(ENFORCE_ADMISSION_REPLICAS);
    const spread = admission.spec.template.spec.topologySpreadConstraints as Array<{ topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }>;
    expect(spread.map((constraint) => constraint.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const constraint of spread) expect(admission.spec.template.metadata.labels).toMatchObject(constraint.labelSelector.matchLabels);
  });

  test('THEN a PodDisruptionBudget selecting those pods keeps all but one available', () => {
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget') as Array<Record<string, any>>;
    const budget = budgets.find((candidate) => Object.entries(candidate.spec.selector.matchLabels).every(([key, value]) => admission.spec.template.metadata.labels[key] === value));
    expect(budget?.spec.minAvailable).toBe(ENFORCE_ADMISSION_REPLICAS - 1);
  });

  test('THEN dev and staging (Audit) keep the chart\'s single replica and no budget', () => {
    for (const env of ['dev', 'staging']) {
      const deployment = kyvernoObjects(env).find((object) => object.kind === 'Deployment' && object.metadata.name === 'kyverno-admission-controller') as Record<string, any>;
      expect(deployment.spec.replicas ?? 1).toBe(1);
    }
  });
});
