/** `policy test` runs any tree of Kyverno CLI suites in one go, with the parts of a Test Kyverno's CLI gives. */
import { describe, expect, test } from 'vitest';
import { runTests } from '../../src/policy-engine/index.js';
import { runCli } from '../support/cli.js';
import { exception, pod, podPolicy, policy, tempTree, type Obj } from './fixtures.js';

const testOf = (name: string, results: Obj[], more: Obj = {}): Obj => ({
  apiVersion: 'cli.kyverno.io/v1alpha1',
  kind: 'Test',
  metadata: { name },
  policies: ['policy.yaml'],
  resources: ['resources.yaml'],
  results,
  ...more,
});
const expect_ = (policyName: string, resources: string[], result: string, more: Obj = {}) => ({ policy: policyName, kind: 'Pod', resources, result, isValidatingPolicy: true, ...more });

describe('policy test over a tree', () => {
  test('a suite that does not load and an unsupported suite are listed; every other suite still runs', async () => {
    const dir = await tempTree({
      'good/policy.yaml': [podPolicy('no-host-pid', '!object.spec.?hostPID.orValue(false)')],
      'good/resources.yaml': [pod('a'), pod('b', { hostPID: true })],
      'good/kyverno-test.yaml': [testOf('good', [expect_('no-host-pid', ['a'], 'pass'), expect_('no-host-pid', ['b'], 'fail')])],
      'broken/policy.yaml': [podPolicy('broken', 'object.spec.(')],
      'broken/resources.yaml': [pod('a')],
      'broken/kyverno-test.yaml': [testOf('broken', [expect_('broken', ['a'], 'pass')])],
      'payload/policy.yaml': [podPolicy('p', 'true')],
      'payload/kyverno-test.yaml': [testOf('payload', [expect_('p', ['a'], 'pass')], { jsonPayload: 'payload.json' })],
      'mutating/policy.yaml': [{ ...policy('m', {}), kind: 'MutatingPolicy' }],
      'mutating/resources.yaml': [pod('a')],
      'mutating/kyverno-test.yaml': [testOf('mutating', [expect_('m', ['a'], 'pass')])],
    });
    const summary = await runTests([dir]);
    expect([summary.passed, summary.failed]).toEqual([2, 0]);
    expect(summary.problems.map((p) => p.file)).toEqual([expect.stringMatching(/broken\/kyverno-test\.yaml$/)]);
    expect(summary.problems[0]!.message).toMatch(/broken\/policy\.yaml:\d+:\d+: .*CEL syntax error/);
    expect(summary.unsupported.map((u) => [u.file.split('/').at(-2), u.reason])).toEqual([
      ['mutating', expect.stringMatching(/MutatingPolicy/)],
      ['payload', 'uses jsonPayload'],
    ]);

    const run = await runCli(['policy', 'test', dir, '--format', 'json']);
    const json = JSON.parse(run.stdout) as { passed: number; failed: number; unsupported: unknown[]; problems: unknown[] };
    expect([json.passed, json.failed, json.unsupported.length, json.problems.length]).toEqual([2, 0, 2, 1]);
    // A suite that does not load is bad input: exit 2, named on stderr with file and line.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*broken\/policy\.yaml:\d+:\d+: /m);
    const text = await runCli(['policy', 'test', dir]);
    expect(text.stdout).toMatch(/^UNSUPPORTED .*payload\/kyverno-test\.yaml: uses jsonPayload$/m);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed (2 unsupported suites) (1 not loaded suites)');
  });

  test('a resource without a namespace is in default, and namespaceObject exists for a namespace the input does not define', async () => {
    const dir = await tempTree({
      'policy.yaml': [podPolicy('not-default', "namespaceObject.metadata.name != 'default' && object.metadata.namespace == namespaceObject.metadata.name")],
      'resources.yaml': [pod('plain'), pod('placed', {}, { namespace: 'team' })],
      'kyverno-test.yaml': [testOf('ns', [expect_('not-default', ['plain'], 'fail'), expect_('not-default', ['team/placed'], 'pass')])],
    });
    const summary = await runTests([dir]);
    expect(summary.tests.map((t) => [t.resource, t.actual])).toEqual([
      ['Pod/plain', 'fail'],
      ['Pod/team/placed', 'pass'],
    ]);
  });

  test('values: namespaces with labels drive namespaceSelector; userinfo fills request.userInfo; context serves resource.Get', async () => {
    const selected = podPolicy('selected', 'false', {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }], namespaceSelector: { matchLabels: { tier: 'prod' } } },
    });
    const byUser = podPolicy('by-user', "request.userInfo.username == 'system:serviceaccount:ci:deployer' && 'ops' in request.userInfo.groups");
    const lookup = podPolicy('lookup', "resource.Get('v1', 'configmaps', 'platform', 'allowed').data.image == object.spec.containers[0].image");
    const dir = await tempTree({
      'policy.yaml': [selected, byUser, lookup],
      'resources.yaml': [pod('in-prod', {}, { namespace: 'shop' }), pod('in-dev', {}, { namespace: 'lab' })],
      'values.yaml': [{ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Values', namespaces: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { tier: 'prod' } } }] }],
      'user.yaml': [{ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'UserInfo', userInfo: { username: 'system:serviceaccount:ci:deployer', groups: ['ops'] } }],
      'context.yaml': [{ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Context', spec: { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'allowed', namespace: 'platform' }, data: { image: 'nginx' } }] } }],
      'kyverno-test.yaml': [
        testOf(
          'all',
          [expect_('selected', ['shop/in-prod'], 'fail'), expect_('selected', ['lab/in-dev'], 'skip'), expect_('by-user', ['shop/in-prod'], 'pass'), expect_('lookup', ['shop/in-prod'], 'pass')],
          { variables: 'values.yaml', userinfo: 'user.yaml', context: 'context.yaml' },
        ),
      ],
    });
    const summary = await runTests([dir]);
    expect(summary.tests.map((t) => `${t.policy} ${t.resource} ${t.actual}`)).toEqual([
      'selected Pod/shop/in-prod fail',
      'selected Pod/lab/in-dev excluded',
      'by-user Pod/shop/in-prod pass',
      'lookup Pod/shop/in-prod pass',
    ]);
    expect(summary.failed).toBe(0);
  });

  test("image metadata from the context feeds has() over image.GetMetadata(...) (Kyverno's block-stale-images shape), in a policy with an integer field", async () => {
    const stale = podPolicy(
      'stale',
      "object.spec.containers.all(c, !has(image.GetMetadata(c.image).config.created) || timestamp(image.GetMetadata(c.image).config.created) > timestamp('2024-01-01T00:00:00Z'))",
      { webhookConfiguration: { timeoutSeconds: 20 } },
    );
    const image = (ref: string, config: Obj) => ({ image: ref, config });
    const dir = await tempTree({
      'policy.yaml': [stale],
      'resources.yaml': [pod('old', { containers: [{ name: 'c', image: 'docker.io/redis:6' }] }), pod('new', { containers: [{ name: 'c', image: 'docker.io/redis:7' }] }), pod('undated', { containers: [{ name: 'c', image: 'docker.io/redis:8' }] })],
      'context.yaml': [
        {
          apiVersion: 'cli.kyverno.io/v1alpha1',
          kind: 'Context',
          spec: { images: [image('docker.io/redis:6', { created: '2020-05-01T03:15:12Z' }), image('docker.io/redis:7', { created: '2099-05-01T03:15:12Z' }), image('docker.io/redis:8', {})] },
        },
      ],
      'kyverno-test.yaml': [testOf('stale', [expect_('stale', ['old'], 'fail'), expect_('stale', ['new', 'undated'], 'pass')], { context: 'context.yaml' })],
    });
    const summary = await runTests([dir]);
    expect(summary.problems).toEqual([]);
    expect(summary.tests.map((t) => `${t.resource} ${t.actual}`)).toEqual(['Pod/old fail', 'Pod/new pass', 'Pod/undated pass']);
  });

  test('a result entry with operation UPDATE or DELETE evaluates that operation, with oldObject', async () => {
    const rules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE', 'DELETE'], resources: ['pods'] }] };
    const dir = await tempTree({
      'policy.yaml': [podPolicy('on-change', "request.operation == 'UPDATE' ? object == oldObject : object == null && oldObject.metadata.name == 'p'", { matchConstraints: rules })],
      'resources.yaml': [pod('p')],
      'kyverno-test.yaml': [testOf('ops', [expect_('on-change', ['p'], 'pass', { operation: 'UPDATE' }), expect_('on-change', ['p'], 'pass', { operation: 'DELETE' }), expect_('on-change', ['p'], 'skip')])],
    });
    const summary = await runTests([dir]);
    expect(summary.tests.map((t) => t.actual)).toEqual(['pass', 'pass', 'excluded']);
  });

  test('an expired exception no longer applies; among exceptions the highest priority above 0 decides reportResult', async () => {
    const always = [{ name: 'all', expression: 'true' }];
    const dir = await tempTree({
      'policy.yaml': [podPolicy('strict', 'false')],
      'resources.yaml': [pod('p')],
      'expired.yaml': [exception('expired', 'strict', always, { expiresAt: '2020-01-01T00:00:00Z', reportResult: 'pass' })],
      'ranked.yaml': [
        exception('first', 'strict', always, { reportResult: 'skip' }),
        { ...exception('ranked', 'strict', always, { reportResult: 'pass' }), metadata: { name: 'ranked', namespace: 'kyverno', labels: { 'polex.kyverno.io/priority': '5' } } },
      ],
      'a/kyverno-test.yaml': [testOf('expired', [expect_('strict', ['p'], 'fail')], { policies: ['../policy.yaml'], resources: ['../resources.yaml'], exceptions: ['../expired.yaml'] })],
      'b/kyverno-test.yaml': [testOf('ranked', [expect_('strict', ['p'], 'pass')], { policies: ['../policy.yaml'], resources: ['../resources.yaml'], exceptions: ['../ranked.yaml'] })],
    });
    const summary = await runTests([dir]);
    expect(summary.tests.map((t) => [t.test, t.actual])).toEqual([
      ['expired', 'fail'],
      ['ranked', 'pass'],
    ]);
  });
});
