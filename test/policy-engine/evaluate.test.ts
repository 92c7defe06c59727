import { describe, expect, test } from 'vitest';
import { policyResultSchema } from '../../src/policy-engine/index.js';
import { cronJob, deployment, engineOf, exception, objects, pod, podPolicy, podRules, policy } from './fixtures.js';

const privileged = "object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)";
const privilegedPod = pod('bad', { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] });

describe('evaluation semantics (Kyverno vpol engine)', () => {
  test('GIVEN a pod policy THEN a good pod passes with "success" and a bad pod fails with the message', () => {
    const results = engineOf([podPolicy('no-priv', privileged)]).evaluate(objects('pods.yaml', [pod('good'), privilegedPod]));
    expect(results.map((r) => [r.resource.name, r.result, r.message])).toEqual([
      ['good', 'pass', 'success'],
      ['bad', 'fail', 'no-priv failed'],
    ]);
    expect(results[1]!.rule).toBeUndefined();
    for (const result of results) expect(policyResultSchema.safeParse(result).success).toBe(true);
    // The first pod takes 8 lines, then `---`: the second starts on line 10.
    expect(results[1]!.source).toEqual({ file: 'pods.yaml', line: 10 });
  });

  test('a resource the policy does not match gets no result', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} };
    expect(engineOf([podPolicy('no-priv', privileged)]).evaluate(objects('s.yaml', [service]))).toEqual([]);
  });

  test('the first failing validation decides, and messageExpression builds the message from the object', () => {
    const p = policy('two', {
      matchConstraints: podRules,
      validations: [
        { expression: 'true' },
        { expression: "object.metadata.name != 'bad'", messageExpression: "'pod ' + object.metadata.name + ' is bad'" },
        { expression: 'false', message: 'never reached' },
      ],
    });
    const [result] = engineOf([p]).evaluate(objects('p.yaml', [pod('bad')]));
    expect(result).toMatchObject({ result: 'fail', message: 'pod bad is bad', validationIndex: 1 });
  });

  test('an empty message becomes Kyverno\'s default text', () => {
    const p = policy('bare', { matchConstraints: podRules, validations: [{ expression: 'false' }] });
    expect(engineOf([p]).evaluate(objects('p.yaml', [pod('a')]))[0]!.message).toBe('CEL expression validation failed at index 0');
  });

  test('an evaluation error is an error result, and a non-bool validation too', () => {
    const p1 = podPolicy('missing-field', 'object.spec.nothing.here == 1');
    const p2 = podPolicy('not-bool', "object.metadata.name + ''");
    const results = engineOf([p1, p2]).evaluate(objects('p.yaml', [pod('a')]));
    expect(results.map((r) => r.result)).toEqual(['error', 'error']);
    expect(results[0]!.message).toMatch(/^error: .*nothing/);
  });

  test('matchConditions that do not hold give skip; with failurePolicy Ignore an erroring condition also skips', () => {
    const conditional = podPolicy('only-labelled', 'false', { matchConditions: [{ name: 'labelled', expression: "has(object.metadata.labels) && 'check' in object.metadata.labels" }] });
    const ignoring = podPolicy('ignoring', 'false', { failurePolicy: 'Ignore', matchConditions: [{ name: 'boom', expression: 'object.spec.nope.nope' }] });
    const failing = podPolicy('failing', 'false', { matchConditions: [{ name: 'boom', expression: 'object.spec.nope.nope' }] });
    const results = engineOf([conditional, ignoring, failing]).evaluate(objects('p.yaml', [pod('plain'), pod('checked', {}, { labels: { check: 'yes' } })]));
    expect(results.map((r) => `${r.policy} ${r.resource.name} ${r.result}`)).toEqual([
      'only-labelled plain skip',
      'ignoring plain skip',
      'failing plain error',
      'only-labelled checked fail',
      'ignoring checked skip',
      'failing checked error',
    ]);
  });

  test('variables are lazy: an erroring variable no validation reads does not matter; one that is read makes an error', () => {
    const variables = [
      { name: 'broken', expression: 'object.spec.nope.nope' },
      { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
      { name: 'count', expression: 'size(variables.names)' },
    ];
    const fine = policy('fine', { matchConstraints: podRules, variables, validations: [{ expression: 'variables.count == 1 && variables.names[0] == "app"' }] });
    const broken = policy('broken', { matchConstraints: podRules, variables, validations: [{ expression: 'variables.broken == 1' }] });
    const results = engineOf([fine, broken]).evaluate(objects('p.yaml', [pod('a'), pod('b', { containers: [{ name: 'x' }, { name: 'y' }] })]));
    expect(results.map((r) => `${r.policy} ${r.resource.name} ${r.result}`)).toEqual(['fine a pass', 'broken a error', 'fine b fail', 'broken b error']);
  });

  test('integers are CEL ints and the request binding describes a CREATE', () => {
    const p = podPolicy(
      'ints',
      "object.spec.containers[0].ports[0].containerPort + 1 == 81 && request.operation == 'CREATE' && request.kind.kind == 'Pod' && request.namespace == 'web' && oldObject == null",
    );
    const results = engineOf([p]).evaluate(objects('p.yaml', [pod('a', { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] }, { namespace: 'web' })]));
    expect(results[0]!.result).toBe('pass');
  });

  test('namespaceObject is the Namespace from the input, and null when the input has none', () => {
    const p = podPolicy('ns', "namespaceObject != null && namespaceObject.metadata.labels['team'] == 'a'");
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { team: 'a' } } };
    const results = engineOf([p]).evaluate(objects('p.yaml', [ns, pod('in-web', {}, { namespace: 'web' }), pod('elsewhere', {}, { namespace: 'other' })]));
    expect(results.map((r) => `${r.resource.name} ${r.result}`)).toEqual(['in-web pass', 'elsewhere fail']);
  });

  test('a NamespacedValidatingPolicy applies only in its namespace and is reported as namespace/name', () => {
    const p = policy('local', { matchConstraints: podRules, validations: [{ expression: 'false' }] }, { kind: 'NamespacedValidatingPolicy', namespace: 'team-a' });
    const results = engineOf([p]).evaluate(objects('p.yaml', [pod('x', {}, { namespace: 'team-a' }), pod('y', {}, { namespace: 'team-b' })]));
    expect(results.map((r) => `${r.policy} ${r.resource.name}`)).toEqual(['team-a/local x']);
  });

  test('policies.kyverno.io/scored: "false" turns fail into warn, as Kyverno reports it', () => {
    const p = podPolicy('unscored', 'false');
    (p.metadata as Record<string, unknown>).annotations = { 'policies.kyverno.io/scored': 'false' };
    expect(engineOf([p]).evaluate(objects('p.yaml', [pod('a')]))[0]!.result).toBe('warn');
  });
});

describe('autogen in evaluation', () => {
  test('GIVEN a pod policy THEN Deployments and CronJobs are checked on their pod template, with the variant recorded', () => {
    const engine = engineOf([podPolicy('no-priv', privileged)]);
    const bad = { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] };
    const results = engine.evaluate(objects('w.yaml', [deployment('good-deploy'), deployment('bad-deploy', bad), cronJob('good-cron'), cronJob('bad-cron', bad)]));
    expect(results.map((r) => `${r.resource.kind}/${r.resource.name} ${r.result} ${r.autogen}`)).toEqual([
      'Deployment/good-deploy pass defaults',
      'Deployment/bad-deploy fail defaults',
      'CronJob/good-cron pass cronjobs',
      'CronJob/bad-cron fail cronjobs',
    ]);
  });

  test('spec.autogen.podControllers.controllers limits the controllers; an empty list turns autogen off', () => {
    const only = podPolicy('only-deploy', 'false', { autogen: { podControllers: { controllers: ['deployments'] } } });
    const none = podPolicy('none', 'false', { autogen: { podControllers: { controllers: [] } } });
    const results = engineOf([only, none]).evaluate(objects('w.yaml', [deployment('d'), cronJob('c')]));
    expect(results.map((r) => `${r.policy} ${r.resource.kind}`)).toEqual(['only-deploy Deployment']);
  });
});

describe('PolicyExceptions', () => {
  const p = podPolicy('no-priv', privileged);
  const inKubeSystem = [{ name: 'kube-system', expression: "object.metadata.namespace == 'kube-system'" }];

  test('GIVEN an exception whose conditions hold THEN the result is skip, rule "exception", naming the exception', () => {
    const results = engineOf([p], [exception('allow-system', 'no-priv', inKubeSystem)]).evaluate(
      objects('p.yaml', [{ ...privilegedPod, metadata: { name: 'sys', namespace: 'kube-system' } }, { ...privilegedPod, metadata: { name: 'app', namespace: 'apps' } }]),
    );
    expect(results.map((r) => [r.resource.name, r.result, r.rule, r.message, r.exceptions])).toEqual([
      ['sys', 'skip', 'exception', 'rule is skipped due to policy exception: kyverno/allow-system', ['kyverno/allow-system']],
      ['app', 'fail', undefined, 'no-priv failed', undefined],
    ]);
  });

  test('reportResult: pass reports the excepted resource as passed; exceptions for other policies do nothing', () => {
    const passing = exception('pass-system', 'no-priv', inKubeSystem, { reportResult: 'pass' });
    const other = exception('other', 'another-policy', []);
    const [result] = engineOf([p], [passing, other]).evaluate(objects('p.yaml', [{ ...privilegedPod, metadata: { name: 'sys', namespace: 'kube-system' } }]));
    expect(result).toMatchObject({ result: 'pass', rule: 'exception', message: 'rule is passed due to policy exception: kyverno/pass-system' });
  });

  test('with several matching exceptions the highest polex.kyverno.io/priority decides reportResult, and all are named', () => {
    const low = exception('low', 'no-priv', inKubeSystem, { reportResult: 'pass' });
    const high = exception('high', 'no-priv', inKubeSystem);
    (high.metadata as Record<string, unknown>).labels = { 'polex.kyverno.io/priority': '5' };
    const [result] = engineOf([p], [low, high]).evaluate(objects('p.yaml', [{ ...privilegedPod, metadata: { name: 'sys', namespace: 'kube-system' } }]));
    expect(result).toMatchObject({ result: 'skip', exceptions: ['kyverno/low', 'kyverno/high'], message: 'rule is skipped due to policy exception: kyverno/low, kyverno/high' });
  });

  test('exceptions apply to autogen results too, matched against the controller object', () => {
    const byLabel = exception('agent', 'no-priv', [{ name: 'agent', expression: "object.metadata.?labels.?app.orValue('') == 'agent'" }]);
    const bad = { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] };
    const results = engineOf([p], [byLabel]).evaluate(objects('d.yaml', [deployment('agent', bad, { labels: { app: 'agent' } }), deployment('other', bad)]));
    expect(results.map((r) => `${r.resource.name} ${r.result}`)).toEqual(['agent skip', 'other fail']);
  });

  test('an exception scoped by images only narrows the exceptions binding and does not skip', () => {
    const imagesOnly = exception('images', 'uses-binding', [], { images: ['registry.k8s.io/*'] });
    const usesBinding = podPolicy('uses-binding', "exceptions.allowedImages == ['registry.k8s.io/*']");
    expect(engineOf([usesBinding], [imagesOnly]).evaluate(objects('p.yaml', [pod('a')]))[0]!.result).toBe('pass');
  });
});

describe('runaway expressions end with a non-pass result', () => {
  test('^(a+)+$ on a long name is answered by RE2 (fail), not backtracking', () => {
    const engine = engineOf([podPolicy('name-shape', "object.metadata.annotations.name.matches('^(a+)+$')")]);
    const results = engine.evaluate(objects('p.yaml', [pod('long', {}, { annotations: { name: `${'a'.repeat(50_000)}!` } })]));
    expect(results.map((r) => r.result)).toEqual(['fail']);
  });

  test('a cubic-cost validation over a 2,000-key map is an error result (cost budget)', () => {
    const engine = engineOf([podPolicy('cubic', 'object.metadata.labels.all(a, object.metadata.labels.all(b, object.metadata.labels.all(c, a != "" && b != "" && c != "")))')]);
    const labels = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 'v']));
    const [result] = engine.evaluate(objects('p.yaml', [pod('many-labels', {}, { labels })]));
    expect(result).toMatchObject({ result: 'error', message: expect.stringMatching(/actual cost limit exceeded/) });
  });
});

describe('auditAnnotations', () => {
  test('are evaluated for every matched object; a null value adds nothing; an error is an error result', () => {
    const annotated = podPolicy('annotated', "!object.spec.?hostPID.orValue(false)", {
      auditAnnotations: [
        { key: 'host-pid', valueExpression: "object.spec.?hostPID.orValue(false) ? dyn('requested') : null" },
        { key: 'name', valueExpression: 'object.metadata.name' },
      ],
    });
    const broken = podPolicy('broken-annotation', 'true', { auditAnnotations: [{ key: 'x', valueExpression: 'string(object.spec.nope.nope)' }] });
    const results = engineOf([annotated, broken]).evaluate(objects('p.yaml', [pod('quiet'), pod('loud', { hostPID: true })]));
    expect(results.map((r) => [r.policy, r.resource.name, r.result, r.auditAnnotations])).toEqual([
      ['annotated', 'quiet', 'pass', { name: 'quiet' }],
      ['broken-annotation', 'quiet', 'error', undefined],
      ['annotated', 'loud', 'fail', { 'host-pid': 'requested', name: 'loud' }],
      ['broken-annotation', 'loud', 'error', undefined],
    ]);
  });
});
