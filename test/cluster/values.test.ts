import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { EXAMPLE as EXAMPLE_TEXT, changedPaths, renderEnv } from './fixture.js';

/** Every rendered object keyed `kind/namespace/name`, to compare two renders object by object. */
function byRef(objects: readonly KubernetesObject[]): Record<string, KubernetesObject> {
  return Object.fromEntries(objects.map((object) => [`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, object]));
}

/** Paths of every value that differs between the example's render and the edited example's. */
function diff(env: string, edit: (text: string) => string): string[] {
  const edited = edit(EXAMPLE_TEXT);
  expect(edited).not.toBe(EXAMPLE_TEXT);
  return changedPaths(byRef(renderEnv(env).objects), byRef(renderEnv(env, edited).objects));
}

describe('GIVEN the example config WHEN one setting changes THEN exactly the matching values change', () => {
  test('the maintenance window of prod changes only the brupop scheduler cron', () => {
    const changed = diff('prod', (text) => text.replace('maintenanceWindow: "* * 5-6 * * Tue-Thu *"', 'maintenanceWindow: "* 30-59 1 * * Sat *"'));
    expect(changed).toEqual(['HelmRelease/brupop-bottlerocket-aws/brupop-operator.spec.values.scheduler_cron_expression']);
    const after = renderEnv('prod', EXAMPLE_TEXT.replace('maintenanceWindow: "* * 5-6 * * Tue-Thu *"', 'maintenanceWindow: "* 30-59 1 * * Sat *"'));
    expect(byRef(after.objects)['HelmRelease/brupop-bottlerocket-aws/brupop-operator']!.spec).toMatchObject({ values: { scheduler_cron_expression: '* 30-59 1 * * Sat *' } });
  });

  test('brupop concurrency and load-balancer wait reach the chart as the strings it expects', () => {
    const { objects } = renderEnv('prod');
    expect(byRef(objects)['HelmRelease/brupop-bottlerocket-aws/brupop-operator']!.spec).toMatchObject({
      values: { max_concurrent_updates: '1', exclude_from_lb_wait_time_in_sec: '120', namespace: 'brupop-bottlerocket-aws' },
    });
    const changed = diff('dev', (text) => text.replace('maxConcurrentUpdates: 2', 'maxConcurrentUpdates: unlimited'));
    expect(changed).toEqual(['HelmRelease/brupop-bottlerocket-aws/brupop-operator.spec.values.max_concurrent_updates']);
  });

  test('adding a SOC webhook to dev adds exactly the falcosidekick webhook output', () => {
    const changed = diff('dev', (text) => text.replace('    falco:\n      minimumPriority: notice\n', '    falco:\n      minimumPriority: notice\n      webhookUrl: https://soc.example.gov/hook\n'));
    expect(changed).toEqual(['HelmRelease/falco/falco.spec.values.falcosidekick.config.webhook']);
    const after = renderEnv('dev', EXAMPLE_TEXT.replace('    falco:\n      minimumPriority: notice\n', '    falco:\n      minimumPriority: notice\n      webhookUrl: https://soc.example.gov/hook\n'));
    expect(byRef(after.objects)['HelmRelease/falco/falco']!.spec).toMatchObject({ values: { falcosidekick: { config: { webhook: { address: 'https://soc.example.gov/hook', minimumpriority: 'notice' } } } } });
  });

  test('removing the CloudWatch log group of prod removes exactly that output', () => {
    const changed = diff('prod', (text) => text.replace('      cloudwatchLogGroup: /soc/falco/prod\n', ''));
    expect(changed).toEqual(['HelmRelease/falco/falco.spec.values.falcosidekick.config.aws.cloudwatchlogs']);
  });

  test('the minimum priority changes every output that forwards events and nothing else', () => {
    const changed = diff('prod', (text) => text.replace('minimumPriority: warning', 'minimumPriority: error'));
    expect(changed.sort()).toEqual(
      [
        'HelmRelease/falco/falco.spec.values.falcosidekick.config.aws.cloudwatchlogs.minimumpriority',
        'HelmRelease/falco/falco.spec.values.falcosidekick.config.aws.s3.minimumpriority',
        'HelmRelease/falco/falco.spec.values.falcosidekick.config.webhook.minimumpriority',
      ].sort(),
    );
  });

  test('Falco events always go to the environment evidence bucket under falco/, in the environment region, with no keys', () => {
    const { objects } = renderEnv('staging');
    const values = (byRef(objects)['HelmRelease/falco/falco']!.spec as { values: Record<string, unknown> }).values;
    expect(values).toMatchObject({
      driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } },
      falcosidekick: { enabled: true, config: { aws: { region: 'us-gov-west-1', s3: { bucket: 'fedplat-staging-evidence-222222222222-us-gov-west-1', prefix: 'falco' } } } },
    });
    expect(JSON.stringify(values)).not.toMatch(/accesskeyid|secretaccesskey/i);
  });

  test('tainted node groups are tolerated by the node agents (Falco and the brupop agent)', () => {
    const { objects } = renderEnv('staging');
    const toleration = { key: 'workload', operator: 'Equal', value: 'batch', effect: 'NoSchedule' };
    expect(byRef(objects)['HelmRelease/falco/falco']!.spec).toMatchObject({ values: { tolerations: [toleration] } });
    expect(byRef(objects)['HelmRelease/brupop-bottlerocket-aws/brupop-operator']!.spec).toMatchObject({ values: { placement: { agent: { tolerations: [toleration] } } } });
  });
});
