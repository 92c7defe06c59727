/**
 * The values keys we set must exist in the pinned chart versions. KNOWN_KEYS lists, per chart,
 * the keys checked in the chart's own values.yaml at the pinned tag (falcosecurity/charts
 * falco-9.1.0 and falcosidekick-0.12.1, bottlerocket-os/bottlerocket-update-operator chart
 * 1.4.0, kyverno/kyverno v1.19.0, cert-manager/cert-manager v1.21.1, kubernetes/autoscaler
 * cluster-autoscaler-chart-9.59.0); a key not listed here
 * fails until someone checks it. The reference renders of the same versions then show each
 * key has the effect we rely on.
 */
import { describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/common/names.js';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { CHARTS } from '../../src/cluster/versions.js';
import { EXAMPLE, leafPaths, renderEnv } from '../../test/cluster/fixture.js';
import { referenceDocuments } from '../support/reference.js';

const KNOWN_KEYS: Record<string, readonly string[]> = {
  [`${CHARTS.certManager.chart}@${CHARTS.certManager.version}`]: [
    'crds.enabled',
    ...['', 'cainjector.', 'webhook.', 'startupapicheck.', 'acmesolver.'].flatMap((prefix) => ['repository', 'tag', 'digest'].map((key) => `${prefix}image.${key}`)),
  ],
  [`${CHARTS.brupopShadow.chart}@${CHARTS.brupopShadow.version}`]: [],
  [`${CHARTS.brupopOperator.chart}@${CHARTS.brupopOperator.version}`]: [
    'namespace',
    'image',
    'scheduler_cron_expression',
    'max_concurrent_updates',
    'exclude_from_lb_wait_time_in_sec',
    'placement.agent.tolerations',
  ],
  [`${CHARTS.falco.chart}@${CHARTS.falco.version}`]: [
    ...['registry', 'repository', 'tag'].flatMap((key) => [`image.${key}`, `falcosidekick.image.${key}`]),
    'falcoctl.artifact.install.enabled',
    'falcoctl.artifact.follow.enabled',
    'driver.kind',
    'driver.modernEbpf.leastPrivileged',
    ...['docker', 'podman', 'containerd', 'cri', 'lxc', 'libvirt_lxc', 'bpm'].flatMap((engine) => [
      `collectors.containerEngine.engines.${engine}.enabled`,
      `collectors.containerEngine.engines.${engine}.sockets`,
    ]),
    'tolerations',
    'customRules.*',
    'falcosidekick.enabled',
    // falcosidekick subchart 0.12.1
    'falcosidekick.config.aws.region',
    'falcosidekick.config.extraEnv',
    'falcosidekick.config.aws.s3.bucket',
    'falcosidekick.config.aws.s3.prefix',
    'falcosidekick.config.aws.s3.minimumpriority',
    'falcosidekick.config.aws.cloudwatchlogs.loggroup',
    'falcosidekick.config.aws.cloudwatchlogs.minimumpriority',
    'falcosidekick.config.webhook.address',
    'falcosidekick.config.webhook.minimumpriority',
    'falcosidekick.config.existingSecret',
    // Kubernetes securityContext objects, passed through with toYaml (templates/deployment.yaml).
    'falcosidekick.podSecurityContext.*',
    'falcosidekick.securityContext.*',
  ],
  [`${CHARTS.kyverno.chart}@${CHARTS.kyverno.version}`]: [
    'features.policyExceptions.enabled',
    'features.policyExceptions.namespace',
    'config.resourceFiltersExcludeNamespaces',
    'config.webhooks.namespaceSelector.matchExpressions',
    'config.excludeKyvernoNamespace',
    ...[
      'admissionController.initContainer',
      'admissionController.container',
      'backgroundController',
      'cleanupController',
      'reportsController',
      'crds.migration',
      'webhooksCleanup',
      'test',
    ].flatMap((prefix) => ['registry', 'repository', 'tag'].map((key) => `${prefix}.image.${key}`)),
    'admissionController.replicas',
    'admissionController.podDisruptionBudget.enabled',
    'admissionController.podDisruptionBudget.minAvailable',
    'admissionController.topologySpreadConstraints',
  ],
  [`${CHARTS.clusterAutoscaler.chart}@${CHARTS.clusterAutoscaler.version}`]: [
    'fullnameOverride',
    'cloudProvider',
    'awsRegion',
    'autoDiscovery.clusterName',
    'autoDiscovery.tags',
    'image.repository',
    'image.tag',
    'rbac.serviceAccount.create',
    'rbac.serviceAccount.name',
    // Maps the templates range over (`--<key>=<value>`, `name: value`) or copy with toYaml.
    'extraArgs.*',
    'extraEnv.*',
    'podAnnotations.*',
    'resources.*',
    'securityContext.*',
    'containerSecurityContext.*',
  ],
};

function known(chart: string, path: string): boolean {
  return (KNOWN_KEYS[chart] ?? []).some((key) => key === path || (key.endsWith('.*') && path.startsWith(key.slice(0, -1))));
}

/** Every environment of the example; prod sets the optional Falco outputs too. */
const renders = ['dev', 'staging', 'prod'].map((name) => renderEnv(name, EXAMPLE));

function releases(objects: readonly KubernetesObject[]) {
  return objects
    .filter((object) => object.kind === 'HelmRelease')
    .map((release) => {
      const spec = release.spec as { chart: { spec: { chart: string; version: string } }; values: Record<string, unknown> };
      return { chart: `${spec.chart.spec.chart}@${spec.chart.spec.version}`, values: spec.values };
    });
}

describe('chart values keys', () => {
  test.each(renders.map((render) => [render.env.name, render] as const))('every key %s sets exists in its pinned chart', (_name, { objects }) => {
    for (const { chart, values } of releases(objects)) {
      const unknown = leafPaths(values).filter((path) => path !== '' && !known(chart, path));
      expect(unknown, chart).toEqual([]);
    }
  });

  test('the key list covers every pinned chart, so a new pin needs its keys checked', () => {
    expect(Object.keys(KNOWN_KEYS).sort()).toEqual(Object.values(CHARTS).map((pin) => `${pin.chart}@${pin.version}`).sort());
  });
});

describe('GIVEN the reference renders of the pinned charts THEN the keys we set have the effect we rely on', () => {
  const kinds = (file: string) => referenceDocuments(`upstream-manifests/${file}`);
  const named = (docs: Array<Record<string, unknown>>, kind: string, name: string) =>
    docs.find((doc) => doc.kind === kind && (doc.metadata as { name: string }).name === name) as Record<string, any> | undefined;

  test('falcosidekick runs as the service account the AWS layer binds, in the namespace Falco is released to', () => {
    const docs = kinds('falco.yaml');
    const deployment = named(docs, 'Deployment', 'falco-falcosidekick');
    expect(deployment?.metadata.namespace).toBe(WORKLOADS.falcosidekick.namespace);
    expect(deployment?.spec.template.spec.serviceAccountName).toBe(WORKLOADS.falcosidekick.serviceAccount);
    const release = renders[0]!.objects.find((object) => object.kind === 'HelmRelease' && (object.spec as { chart: { spec: { chart: string } } }).chart.spec.chart === 'falco')!;
    // The render used release name `falco` in namespace `falco`, as ours does.
    expect([release.metadata.name, release.metadata.namespace]).toEqual(['falco', WORKLOADS.falcosidekick.namespace]);
  });

  test('falcosidekick reads the S3, CloudWatch Logs and webhook settings we set', () => {
    const secret = named(kinds('falco.yaml'), 'Secret', 'falco-falcosidekick');
    expect(Object.keys(secret?.data ?? {})).toEqual(
      expect.arrayContaining([
        'AWS_REGION',
        'AWS_S3_BUCKET',
        'AWS_S3_PREFIX',
        'AWS_S3_MINIMUMPRIORITY',
        'AWS_CLOUDWATCHLOGS_LOGGROUP',
        'AWS_CLOUDWATCHLOGS_MINIMUMPRIORITY',
        'WEBHOOK_ADDRESS',
        'WEBHOOK_MINIMUMPRIORITY',
      ]),
    );
  });

  test('driver.kind selects the modern eBPF engine and leastPrivileged drops the privileged container', () => {
    expect(named(kinds('falco.yaml'), 'ConfigMap', 'falco')?.data['falco.yaml']).toMatch(/engine:\n\s+kind: modern_ebpf/);
    const container = (file: string) => named(kinds(file), 'DaemonSet', 'falco')?.spec.template.spec.containers.find((c: { name: string }) => c.name === 'falco');
    expect(container('falco.yaml').securityContext.privileged).toBe(true);
    expect(container('falco-least-privileged.yaml').securityContext.privileged).toBeUndefined();
    expect(container('falco-least-privileged.yaml').securityContext.capabilities.add).toEqual(expect.arrayContaining(['BPF', 'PERFMON']));
  });

  test('the brupop values become the controller and agent settings, and the agent runs as WORKLOADS.brupopAgent', () => {
    const docs = kinds('brupop.yaml');
    const env = (name: string) => (named(docs, name === 'agent' ? 'DaemonSet' : 'Deployment', name)?.spec.template.spec.containers[0].env as Array<{ name: string }>).map((e) => e.name);
    expect(env('brupop-controller-deployment')).toEqual(expect.arrayContaining(['SCHEDULER_CRON_EXPRESSION', 'MAX_CONCURRENT_UPDATE']));
    const agent = named(docs, 'DaemonSet', 'brupop-agent');
    expect(agent?.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toContain('EXCLUDE_FROM_LB_WAIT_TIME_IN_SEC');
    expect([agent?.metadata.namespace, agent?.spec.template.spec.serviceAccountName]).toEqual([WORKLOADS.brupopAgent.namespace, WORKLOADS.brupopAgent.serviceAccount]);
  });

  test('the Kyverno policy-exception values enable exceptions only in the kyverno namespace', () => {
    const args = named(kinds('kyverno.yaml'), 'Deployment', 'kyverno-admission-controller')?.spec.template.spec.containers[0].args as string[];
    expect(args).toEqual(expect.arrayContaining(['--enablePolicyException=true', `--exceptionNamespace=${WORKLOADS.kyverno.namespace}`]));
  });

  test('crds.enabled makes the cert-manager chart install its CRDs', () => {
    expect(kinds('cert-manager.yaml').filter((doc) => doc.kind === 'CustomResourceDefinition').length).toBeGreaterThan(0);
  });
});
