import { describe, expect, test } from 'vitest';
import { guessResource, labelsMatch, matchesConstraints, type ResourceAttributes } from '../../src/policy-engine/match.js';

const podAttrs = (namespace = 'web', labels: Record<string, string> = {}): ResourceAttributes => ({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  name: 'p',
  generateName: '',
  namespace,
  labels,
  operation: 'CREATE',
});
const podRule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE' as const], resources: ['pods'] };

describe('matchConstraints', () => {
  test.each([
    ['exact rule', { resourceRules: [podRule] }, true],
    ['wildcards', { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*' as const], resources: ['*'] }] }, true],
    ['UPDATE only (offline objects are CREATEs)', { resourceRules: [{ ...podRule, operations: ['UPDATE' as const] }] }, false],
    ['another group', { resourceRules: [{ ...podRule, apiGroups: ['apps'] }] }, false],
    ['a subresource only', { resourceRules: [{ ...podRule, resources: ['pods/status'] }] }, false],
    ['pods/* includes the main resource', { resourceRules: [{ ...podRule, resources: ['pods/*'] }] }, true],
    ['excluded', { resourceRules: [podRule], excludeResourceRules: [podRule] }, false],
    ['resourceNames', { resourceRules: [{ ...podRule, resourceNames: ['other'] }] }, false],
    ['Cluster scope', { resourceRules: [{ ...podRule, scope: 'Cluster' as const }] }, false],
  ])('%s', (_name, constraints, expected) => {
    expect(matchesConstraints(constraints, podAttrs(), undefined)).toBe(expected);
  });

  test('namespaceSelector uses the Namespace labels, or only kubernetes.io/metadata.name for an unknown namespace', () => {
    const constraints = { resourceRules: [podRule], namespaceSelector: { matchLabels: { team: 'a' } } };
    expect(matchesConstraints(constraints, podAttrs(), { team: 'a' })).toBe(true);
    expect(matchesConstraints(constraints, podAttrs(), { team: 'b' })).toBe(false);
    expect(matchesConstraints(constraints, podAttrs(), undefined)).toBe(false);
    const byName = { resourceRules: [podRule], namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn' as const, values: ['kube-system'] }] } };
    expect(matchesConstraints(byName, podAttrs('web'), undefined)).toBe(true);
    expect(matchesConstraints(byName, podAttrs('kube-system'), undefined)).toBe(false);
  });

  test('objectSelector uses the object labels', () => {
    const constraints = { resourceRules: [podRule], objectSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' as const }] } };
    expect(matchesConstraints(constraints, podAttrs('web', { app: 'x' }), undefined)).toBe(true);
    expect(matchesConstraints(constraints, podAttrs('web', {}), undefined)).toBe(false);
  });

  test.each([
    [{ matchLabels: { a: '1' } }, { a: '1' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'In' as const, values: ['1', '2'] }] }, { a: '2' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn' as const, values: ['1'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' as const }] }, { a: '' }, false],
  ])('label selector %j on %j → %s', (selector, labels, expected) => {
    expect(labelsMatch(selector, labels)).toBe(expected);
  });

  test.each([
    ['Deployment', 'deployments'],
    ['NetworkPolicy', 'networkpolicies'],
    ['Ingress', 'ingresses'],
    ['Endpoints', 'endpoints'],
  ])('%s is served as %s', (kind, resource) => {
    expect(guessResource(kind)).toBe(resource);
  });
});

describe('request semantics beyond CREATE of a named object', () => {
  const rule = (extra: { resourceNames?: string[] } = {}) => ({ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE' as const, 'UPDATE' as const], resources: ['deployments'], ...extra });
  const deployment = (extra: Partial<ResourceAttributes> = {}): ResourceAttributes => ({
    apiVersion: 'apps/v1', group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', name: 'd', generateName: '', namespace: 'web', labels: {}, operation: 'CREATE', ...extra,
  });

  test('operations are matched against the evaluated operation', () => {
    expect(matchesConstraints({ resourceRules: [rule()] }, deployment({ operation: 'UPDATE' }), undefined)).toBe(true);
    expect(matchesConstraints({ resourceRules: [rule()] }, deployment({ operation: 'DELETE' }), undefined)).toBe(false);
  });

  test('matchPolicy Equivalent (the default) matches the resource sent through another group version; Exact does not', () => {
    const old = deployment({ apiVersion: 'extensions/v1beta1', group: 'extensions', version: 'v1beta1' });
    expect(matchesConstraints({ resourceRules: [rule()] }, old, undefined)).toBe(true);
    expect(matchesConstraints({ resourceRules: [rule()], matchPolicy: 'Exact' }, old, undefined)).toBe(false);
  });

  test('resourceNames match a generateName by prefix when the object has no name, as Kyverno does', () => {
    const generated = deployment({ name: '', generateName: 'web-abc-' });
    expect(matchesConstraints({ resourceRules: [rule({ resourceNames: ['web-'] })] }, generated, undefined)).toBe(true);
    expect(matchesConstraints({ resourceRules: [rule({ resourceNames: ['api-'] })] }, generated, undefined)).toBe(false);
    expect(matchesConstraints({ resourceRules: [rule({ resourceNames: ['d'] })] }, deployment(), undefined)).toBe(true);
  });
});
