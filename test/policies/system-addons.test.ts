/**
 * The EKS add-ons the stack installs whose pods run in kube-system, where Kyverno now evaluates
 * (and in prod denies): CoreDNS and the Pod Identity agent, from the fixtures beside this file
 * (each records its real source). Judged by the project's Kyverno engine on the controller and on a
 * Pod made from its template (what admission sees on node scale-out): with the shipped exceptions
 * nothing fails; without them exactly the policies the component's exception grants fail; a
 * look-alike (another registry, namespace or label) gets no grant; the rendered environment narrows
 * the grant to its region's add-on registry.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { MANAGED_ADDONS } from '../../src/infra/cluster.js';
import { EXCEPTION_DIR, POLICY_DIR } from '../../src/policies/index.js';
import { eksAddonRegistry } from '../../src/policies/eks-addon-registries.js';
import { compilePolicySet, loadPolicySet, parseObjects, type PolicyEngine, type PolicyResult } from '../../src/policy-engine/index.js';
import { renderEnv } from '../cluster/fixture.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
/** The registry the fixtures were recorded with (the us-west-2 add-on registry). */
const FIXTURE_REGISTRY = '602401143452.dkr.ecr.us-west-2.amazonaws.com';

interface AddOn {
  /** The EKS add-on name (aws eks create-addon --addon-name). */
  readonly addon: string;
  readonly fixture: string;
  readonly resource: string;
  readonly exception: string;
  /** The policies its real pod spec fails: the exception must grant exactly these. */
  readonly fails: readonly string[];
}

const ADD_ONS: readonly AddOn[] = [
  {
    addon: 'coredns',
    fixture: 'coredns.yaml',
    resource: 'Deployment/coredns',
    exception: 'coredns',
    fails: ['bottlerocket-disallow-uid-zero', 'bottlerocket-require-seccomp'],
  },
  {
    addon: 'eks-pod-identity-agent',
    fixture: 'eks-pod-identity-agent.yaml',
    resource: 'DaemonSet/eks-pod-identity-agent',
    exception: 'eks-pod-identity-agent',
    fails: [
      'bottlerocket-disallow-host-network',
      'bottlerocket-disallow-privileged',
      'bottlerocket-disallow-uid-zero',
      'bottlerocket-require-drop-all',
      'bottlerocket-require-seccomp',
      'bottlerocket-restrict-escalation',
    ],
  },
];

type Json = Record<string, any>;

const fixtureText = (addOn: AddOn) => readFileSync(new URL(addOn.fixture, FIXTURES), 'utf8');

/** The controller of the fixture, with its images moved to `registry` and `edit` applied. */
function controller(addOn: AddOn, registry = FIXTURE_REGISTRY, edit: (object: Json) => void = () => {}): Json {
  const object = parse(fixtureText(addOn).replaceAll(FIXTURE_REGISTRY, registry)) as Json;
  edit(object);
  return object;
}

/** The Pod its controller creates from the template, as admission receives it. */
function podOf(object: Json): Json {
  const template = object.spec.template as Json;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name: `${object.metadata.name}-abcde`, namespace: object.metadata.namespace },
    spec: template.spec,
  };
}

const sources = (objects: readonly Json[]) => parseObjects('addon.yaml', objects.map((object) => stringify(object)).join('---\n'));
const failing = (results: readonly PolicyResult[]) => [...new Set(results.filter((result) => result.result === 'fail').map((result) => result.policy))].sort();

describe('GIVEN the EKS add-ons that run pods', () => {
  test('THEN every managed add-on of the stack with pods has a reviewed exception or fixture, the Pod Identity agent included', () => {
    // aws-cdk-lib's Cluster adds eks-pod-identity-agent itself (test/infra/constructs.test.ts pins the list).
    const covered = ['vpc-cni', 'kube-proxy', 'aws-ebs-csi-driver', ...ADD_ONS.map((addOn) => addOn.addon)];
    expect([...MANAGED_ADDONS, 'eks-pod-identity-agent'].sort()).toEqual([...covered].sort());
  });
});

describe.each(ADD_ONS.map((addOn) => [addOn.addon, addOn] as const))('GIVEN the %s add-on as EKS installs it', (_name, addOn) => {
  let bare: PolicyEngine;
  let shipped: PolicyEngine;
  let exceptionRefs: string[];

  beforeAll(async () => {
    bare = await loadPolicySet([POLICY_DIR], []);
    shipped = await loadPolicySet([POLICY_DIR], [EXCEPTION_DIR]);
    const exception = parse(readFileSync(new URL(`../../src/policies/exceptions/${addOn.exception}.yaml`, import.meta.url), 'utf8')) as Json;
    exceptionRefs = (exception.spec.policyRefs as Array<{ name: string }>).map((ref) => ref.name).sort();
  });

  const objects = () => {
    const object = controller(addOn);
    return [object, podOf(object)];
  };

  test('THEN its exception grants exactly the policies its real pod spec fails, each with a reason', () => {
    expect(exceptionRefs).toEqual([...addOn.fails].sort());
    const exception = parse(readFileSync(new URL(`../../src/policies/exceptions/${addOn.exception}.yaml`, import.meta.url), 'utf8')) as Json;
    expect(Object.keys(exception.spec.properties).sort()).toEqual(exceptionRefs);
  });

  test('WITHOUT exceptions THEN the controller and its Pod fail exactly those policies, and nothing errors', () => {
    for (const object of objects()) {
      const results = bare.evaluate(sources([object]));
      expect(results.filter((result) => result.result === 'error')).toEqual([]);
      expect(failing(results), object.kind).toEqual([...addOn.fails].sort());
    }
  });

  test('WITH the shipped exceptions THEN nothing fails, and every one of those policies is skipped by its own exception', () => {
    for (const object of objects()) {
      const results = shipped.evaluate(sources([object]));
      expect(results.filter((result) => result.result === 'fail' || result.result === 'error').map((result) => result.policy), object.kind).toEqual([]);
      const skipped = results.filter((result) => result.result === 'skip');
      expect(skipped.map((result) => result.policy).sort(), object.kind).toEqual([...addOn.fails].sort());
      for (const result of skipped) expect(result.exceptions).toEqual([`kyverno/${addOn.exception}`]);
    }
  });

  test.each([
    ['the same repository in another registry', (object: Json) => swapImages(object, (image) => image.replace(FIXTURE_REGISTRY, 'evil.example.com'))],
    ['the same repository under a registry path', (object: Json) => swapImages(object, (image) => `evil.example.com/${image}`)],
    ['the repository in an ECR account that is not an EKS add-on registry', (object: Json) => swapImages(object, (image) => image.replace('602401143452', '111111111111'))],
    ['another repository of the add-on registry', (object: Json) => swapImages(object, (image) => image.replace(/\/eks\/[^:@]+/, '/eks/kube-proxy'))],
    ['a sidecar from another registry', (object: Json) => object.spec.template.spec.containers.push({ name: 'sidecar', image: 'evil.example.com/debug:1' })],
    ['another namespace', (object: Json) => (object.metadata.namespace = 'default')],
    ['pods without the add-on label', (object: Json) => (object.spec.template.metadata.labels = { app: 'look-alike' })],
  ])('WHEN a look-alike has %s THEN it gets no grant', (_what, edit) => {
    const object = controller(addOn, FIXTURE_REGISTRY, edit);
    for (const candidate of [object, podOf(object)]) {
      const results = shipped.evaluate(sources([candidate]));
      expect(results.filter((result) => result.result === 'skip'), candidate.kind).toEqual([]);
      expect(failing(results), candidate.kind).toEqual(expect.arrayContaining([...addOn.fails]));
    }
  });

  test('WHEN dev (us-gov-west-1) ships its exceptions THEN the add-on from that region\'s registry passes and the us-west-2 one does not', () => {
    const { env, objects: rendered } = renderEnv('dev');
    const kinds = (kind: string) => parseObjects('tree.yaml', rendered.filter((object: KubernetesObject) => object.kind === kind).map((object) => stringify(object)).join('---\n'));
    const engine = compilePolicySet({ policies: kinds('ValidatingPolicy'), exceptions: kinds('PolicyException') });
    const regional = podOf(controller(addOn, eksAddonRegistry(env.region)!));
    expect(env.region).toBe('us-gov-west-1');
    expect(failing(engine.evaluate(sources([regional])))).toEqual([]);
    expect(failing(engine.evaluate(sources([podOf(controller(addOn))])))).toEqual([...addOn.fails].sort());
  });
});

function swapImages(object: Json, swap: (image: string) => string): void {
  const spec = object.spec.template.spec as Json;
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[]) container.image = swap(container.image);
}
