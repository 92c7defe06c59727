import { describe, expect, test } from 'vitest';
import { autogenVariants, canAutogen } from '../../src/policy-engine/autogen.js';
import type { ValidatingPolicySpec } from '../../src/policy-engine/schema.js';

const podRule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE' as const, 'UPDATE' as const], resources: ['pods'] };

describe('canAutogen', () => {
  test.each([
    ['one rule for core/v1 pods', { resourceRules: [podRule] }, true],
    ['two resources', { resourceRules: [{ ...podRule, resources: ['pods', 'services'] }] }, false],
    ['an object selector', { resourceRules: [podRule], objectSelector: { matchLabels: { a: 'b' } } }, false],
    ['exclusions', { resourceRules: [podRule], excludeResourceRules: [podRule] }, false],
    ['resource names', { resourceRules: [{ ...podRule, resourceNames: ['x'] }] }, false],
    ['a wildcard group', { resourceRules: [{ ...podRule, apiGroups: ['*'] }] }, false],
  ])('%s → %s', (_name, match, expected) => {
    expect(canAutogen(match)).toBe(expected);
  });
});

describe('autogenVariants', () => {
  const spec: ValidatingPolicySpec = {
    matchConstraints: { resourceRules: [podRule], namespaceSelector: { matchLabels: { team: 'a' } } },
    matchConditions: [{ name: 'not-system', expression: "object.metadata.namespace != 'kube-system'" }],
    variables: [{ name: 'c', expression: 'object.spec.containers' }],
    validations: [{ expression: "object.metadata.?labels.?app.orValue('') != ''", message: 'set object.spec.x' }],
  };

  test('GIVEN a pod policy THEN cronjobs and defaults variants are made, in that order, with Kyverno\'s match rules', () => {
    const variants = autogenVariants(spec);
    expect(variants.map((v) => [v.name, v.kinds])).toEqual([
      ['cronjobs', ['CronJob']],
      ['defaults', ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'StatefulSet']],
    ]);
    expect(variants[1]!.spec.matchConstraints).toEqual({
      resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], operations: ['CREATE', 'UPDATE'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs'], operations: ['CREATE', 'UPDATE'] },
      ],
      namespaceSelector: { matchLabels: { team: 'a' } },
    });
  });

  test('object.spec and object.metadata move to the template everywhere, except object.metadata.namespace', () => {
    const [cron, defaults] = autogenVariants(spec);
    expect(defaults!.spec.variables![0]!.expression).toBe('object.spec.template.spec.containers');
    expect(defaults!.spec.validations![0]).toEqual({
      expression: "object.spec.template.metadata.?labels.?app.orValue('') != ''",
      message: 'set object.spec.template.spec.x',
    });
    expect(defaults!.spec.matchConditions![0]!.expression).toBe("object.metadata.namespace != 'kube-system'");
    expect(cron!.spec.variables![0]!.expression).toBe('object.spec.jobTemplate.spec.template.spec.containers');
  });

  test('integers (BigInt, as CEL reads them) and every other field survive the rewrite', () => {
    const [, defaults] = autogenVariants({ ...spec, webhookConfiguration: { timeoutSeconds: 20n } });
    expect(defaults!.spec.webhookConfiguration).toEqual({ timeoutSeconds: 20n });
    expect(defaults!.spec.matchConditions).toEqual(spec.matchConditions);
  });

  test('configured controllers choose the variants; unknown names are ignored', () => {
    const variants = autogenVariants({ ...spec, autogen: { podControllers: { controllers: ['statefulsets', 'nonsense'] } } });
    expect(variants.map((v) => [v.name, v.kinds])).toEqual([['defaults', ['StatefulSet']]]);
  });
});
