/**
 * The Cluster Autoscaler as Helm renders it: the official chart 9.59.0 from its source
 * (`../shared/reference/charts/cluster-autoscaler`) with the values the cluster layer generates. The
 * Deployment must run the image of the cluster's Kubernetes minor (mirror included), discover
 * exactly this cluster's node groups, run as the service account the AWS layer binds through Pod
 * Identity, validate as Kubernetes objects, and pass every ADR policy the environment ships with
 * no exception.
 */
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/common/names.js';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { CLUSTER_AUTOSCALER_IMAGES, imageReference } from '../../src/cluster/images.js';
import { validateObjectSchema } from '../../src/gates/rules/object-schema.js';
import { compilePolicySet, parseObjects } from '../../src/policy-engine/index.js';
import { EXAMPLE } from '../../test/cluster/fixture.js';
import { ENVIRONMENTS, MIRROR, mirroredExample, renderedEnvironment } from '../support/cluster-renders.js';
import { renderedImages } from '../support/charts.js';

type Container = { image: string; command: string[]; env: Array<{ name: string; value?: string }>; securityContext: Record<string, unknown> };

function autoscaler(name: string, text = EXAMPLE) {
  const rendered = renderedEnvironment(name, text);
  const chart = rendered.charts.find((candidate) => candidate.chart.chart === 'cluster-autoscaler');
  if (chart === undefined) throw new Error(`${name} renders no cluster-autoscaler chart`);
  const deployment = chart.objects.find((object) => object.kind === 'Deployment') as KubernetesObject & { spec: { template: { spec: Record<string, any> } } };
  return { rendered, chart, deployment, pod: deployment.spec.template.spec, container: deployment.spec.template.spec.containers[0] as Container };
}

describe.each(ENVIRONMENTS)('GIVEN environment %s rendered by Helm from chart 9.59.0', (name) => {
  const { rendered, chart, deployment, pod, container } = autoscaler(name);
  const clusterName = `fedplat-${name}`;

  test('THEN one Deployment runs the release of the cluster\'s Kubernetes minor, in the component\'s namespace', () => {
    expect(chart.objects.filter((object) => object.kind === 'Deployment')).toHaveLength(1);
    expect(deployment.metadata).toMatchObject({ name: 'cluster-autoscaler', namespace: WORKLOADS.clusterAutoscaler.namespace });
    expect(renderedImages(chart.objects).map(({ image }) => image)).toEqual([imageReference(CLUSTER_AUTOSCALER_IMAGES['1.33'], undefined)]);
    expect(container.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6');
  });

  test('THEN it discovers the Auto Scaling groups tagged for this cluster, in its region, with the chosen expander', () => {
    expect(container.command).toEqual(
      expect.arrayContaining([
        '--cloud-provider=aws',
        `--namespace=${WORKLOADS.clusterAutoscaler.namespace}`,
        `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${clusterName}`,
        '--expander=least-waste',
        '--balance-similar-node-groups=true',
        '--skip-nodes-with-local-storage=false',
      ]),
    );
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'AWS_REGION', value: 'us-gov-west-1' }, { name: 'AWS_USE_FIPS_ENDPOINT', value: 'true' }]));
    // No static credentials: the chart adds AWS keys only when given them.
    expect(JSON.stringify(container.env)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });

  test('THEN it runs as the service account the AWS layer binds through Pod Identity, which the chart creates', () => {
    expect(pod.serviceAccountName).toBe(WORKLOADS.clusterAutoscaler.serviceAccount);
    const account = chart.objects.find((object) => object.kind === 'ServiceAccount');
    expect(account?.metadata).toMatchObject({ name: WORKLOADS.clusterAutoscaler.serviceAccount, namespace: WORKLOADS.clusterAutoscaler.namespace });
    // Pod Identity needs no IRSA annotation on the account.
    expect(account?.metadata.annotations ?? {}).not.toHaveProperty('eks.amazonaws.com/role-arn');
  });

  test('THEN every rendered object validates against its Kubernetes schema', async () => {
    expect(chart.objects.length).toBeGreaterThan(5);
    for (const object of chart.objects) expect(await validateObjectSchema(object), `${object.kind}/${object.metadata.name}`).toEqual({ result: 'pass' });
  });

  test('THEN it passes every ADR policy the environment ships, with no exception', () => {
    const shipped = rendered.objects.filter((object) => object.kind === 'ValidatingPolicy');
    const policies = parseObjects(`${name}/adr-policies`, shipped.map((object) => stringify(object)).join('---\n'));
    expect(rendered.objects.filter((object) => object.kind === 'PolicyException' && JSON.stringify(object).includes('cluster-autoscaler'))).toEqual([]);
    const results = compilePolicySet({ policies, exceptions: [] }).evaluate(parseObjects(`${name}/cluster-autoscaler`, chart.objects.map((object) => stringify(object)).join('---\n')));
    expect(results.filter((result) => result.result !== 'pass').map((result) => `${result.resource.kind}/${result.resource.name} ${result.policy}: ${result.result} ${result.message ?? ''}`)).toEqual([]);
    // The restricted-profile checks (seccomp, drop ALL, root group) and the UID and escalation ones judged the Deployment, and passed.
    const judged = new Set(results.filter((result) => result.resource.kind === 'Deployment').map((result) => result.policy));
    for (const policy of ['bottlerocket-require-seccomp', 'bottlerocket-require-drop-all', 'bottlerocket-disallow-root-group', 'bottlerocket-disallow-uid-zero', 'bottlerocket-restrict-escalation']) expect(judged, policy).toContain(policy);
  });
});

describe('GIVEN mirror.registry', () => {
  test.each(ENVIRONMENTS)('THEN %s pulls the autoscaler from the mirror with the same tag', (name) => {
    const { container } = autoscaler(name, mirroredExample());
    expect(container.image).toBe(`${MIRROR}/autoscaling/cluster-autoscaler:v1.33.6`);
  });
});

describe('GIVEN Kubernetes 1.35', () => {
  const text = EXAMPLE.replace(/kubernetesVersion: "1\.33"/g, 'kubernetesVersion: "1.35"');

  test('THEN the chart deploys 1.35.2 pinned by its recorded digest, also from a mirror', () => {
    expect(text).not.toBe(EXAMPLE);
    expect(autoscaler('staging', text).container.image).toBe(`registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2@${CLUSTER_AUTOSCALER_IMAGES['1.35'].digest}`);
    expect(autoscaler('staging', mirroredExample(MIRROR, text)).container.image).toBe(`${MIRROR}/autoscaling/cluster-autoscaler:v1.35.2@${CLUSTER_AUTOSCALER_IMAGES['1.35'].digest}`);
  });
});
