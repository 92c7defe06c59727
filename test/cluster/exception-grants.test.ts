/**
 * Least grants: an environment ships only the exceptions its config needs, and each exception of
 * ours grants exactly the images this environment runs (registry or mirror, repository, tag, and
 * the digest where one is recorded). Judged by the project's Kyverno engine on the rendered objects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { IMAGES, imageReference } from '../../src/cluster/images.js';
import { adrPoliciesComponent } from '../../src/cluster/components/adr-policies.js';
import { EKS_ADDON_ACCOUNTS, EKS_ADDON_REGISTRY_PATTERN, eksAddonRegistry } from '../../src/policies/eks-addon-registries.js';
import { compilePolicySet, parseObjects } from '../../src/policy-engine/index.js';
import { EXAMPLE, renderEnv } from './fixture.js';

const MIRROR = '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/mirror';
const privilegedFalco = EXAMPLE.replace('    falco:\n      minimumPriority: notice\n', '    falco:\n      minimumPriority: notice\n      leastPrivileged: false\n');
const mirrored = EXAMPLE.replace(/^(\s+)cis:\n/gm, `$1mirror:\n$1  registry: ${MIRROR}\n$1cis:\n`);

const exceptionNames = (objects: readonly KubernetesObject[]) => objects.filter((object) => object.kind === 'PolicyException').map((object) => object.metadata.name);

function engineOf(objects: readonly KubernetesObject[]) {
  const sources = (kind: string) => parseObjects('tree.yaml', objects.filter((object) => object.kind === kind).map((object) => stringify(object)).join('---\n'));
  return compilePolicySet({ policies: sources('ValidatingPolicy'), exceptions: sources('PolicyException') });
}

/** A pod of the brupop controller Deployment (the chart sets no securityContext), running `image`. */
function controllerPod(image: string) {
  return parseObjects(
    'pod.yaml',
    stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'brupop-controller-deployment-abc', namespace: 'brupop-bottlerocket-aws', labels: { 'brupop.bottlerocket.aws/component': 'brupop-controller' } },
      spec: { containers: [{ name: 'brupop', image }] },
    }),
  );
}

describe('GIVEN the environments of the example', () => {
  test('WHEN Falco runs leastPrivileged (every environment) THEN no privileged-Falco exception ships', () => {
    for (const name of ['dev', 'staging', 'prod']) expect(exceptionNames(renderEnv(name).objects)).not.toContain('falco-privileged-driver');
  });

  test('WHEN dev sets falco.leastPrivileged: false THEN dev alone ships it', () => {
    expect(privilegedFalco).not.toBe(EXAMPLE);
    expect(exceptionNames(renderEnv('dev', privilegedFalco).objects)).toContain('falco-privileged-driver');
    expect(exceptionNames(renderEnv('staging', privilegedFalco).objects)).not.toContain('falco-privileged-driver');
  });
});

describe('GIVEN the brupop-controller exception as dev ships it', () => {
  const engine = engineOf(renderEnv('dev').objects);
  const escalation = (image: string) => engine.evaluate(controllerPod(image)).find((result) => result.policy === 'bottlerocket-restrict-escalation')!;

  test('THEN the image dev runs is granted', () => {
    expect(escalation(imageReference(IMAGES.brupop, undefined))).toMatchObject({ result: 'skip', exceptions: ['kyverno/brupop-controller'] });
  });

  test.each([
    ['the same repository in another registry', 'evil.example.com/bottlerocket/bottlerocket-update-operator:v1.4.0'],
    ['the same repository under a registry path', 'evil.example.com/public.ecr.aws/bottlerocket/bottlerocket-update-operator:v1.4.0'],
    ['another tag', 'public.ecr.aws/bottlerocket/bottlerocket-update-operator:v1.3.0'],
  ])('THEN %s gets no grant', (_what, image) => {
    expect(escalation(image).result).toBe('fail');
  });
});

describe('GIVEN mirror.registry', () => {
  const engine = engineOf(renderEnv('dev', mirrored).objects);
  const escalation = (image: string) => engine.evaluate(controllerPod(image)).find((result) => result.policy === 'bottlerocket-restrict-escalation')!;

  test('THEN the exception grants the mirrored image and no longer the public one', () => {
    expect(escalation(imageReference(IMAGES.brupop, MIRROR)).result).toBe('skip');
    expect(escalation(imageReference(IMAGES.brupop, undefined)).result).toBe('fail');
  });

  test('THEN the Falco exception pins the image by its digest', () => {
    const falco = renderEnv('dev', mirrored).objects.find((object) => object.kind === 'PolicyException' && object.metadata.name === 'falco')!;
    expect(JSON.stringify(falco.spec)).toContain(IMAGES.falco.digest!.replace('sha256:', ''));
  });
});

describe('GIVEN the EKS add-on exceptions (registries from the EKS User Guide table)', () => {
  const { platform, env, objects } = renderEnv('dev');
  const kubeProxyPod = (image: string) =>
    parseObjects(
      'pod.yaml',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'kube-proxy-abc', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
        spec: { hostNetwork: true, containers: [{ name: 'kube-proxy', image, securityContext: { privileged: true } }] },
      }),
    );
  const hostNetwork = (engine: ReturnType<typeof engineOf>, image: string) =>
    engine.evaluate(kubeProxyPod(image)).find((result) => result.policy === 'bottlerocket-disallow-host-network')!;

  test('THEN every exception naming an ECR registry names it by exactly the accounts of the table', () => {
    const dir = new URL('../../src/policies/exceptions/', import.meta.url);
    const ecr = readdirSync(dir)
      .map((file) => [file, readFileSync(new URL(file, dir), 'utf8')] as const)
      .filter(([, text]) => text.includes('dkr\\\\.ecr'));
    expect(ecr.map(([file]) => file).sort()).toEqual(['aws-node.yaml', 'coredns.yaml', 'ebs-csi-controller.yaml', 'ebs-csi-node-windows.yaml', 'ebs-csi-node.yaml', 'eks-pod-identity-agent.yaml', 'kube-proxy.yaml']);
    for (const [file, text] of ecr) expect(text.split(EKS_ADDON_REGISTRY_PATTERN.replace(/\\/g, '\\\\')).length - 1, file).toBe(1);
    expect(EKS_ADDON_ACCOUNTS['us-gov-west-1']).toBe('013241004608');
    expect(EKS_ADDON_ACCOUNTS['us-gov-east-1']).toBe('151742754352');
    expect(eksAddonRegistry('cn-north-1')).toBe('918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn');
    expect(eksAddonRegistry('ap-east-2')).toBe('533267051163.dkr.ecr.ap-east-2.amazonaws.com');
    expect(eksAddonRegistry('xx-nowhere-1')).toBeUndefined();
  });

  test('WHEN dev (us-gov-west-1) ships them THEN only the us-gov-west-1 add-on registry is granted', () => {
    const engine = engineOf(objects);
    expect(hostNetwork(engine, '013241004608.dkr.ecr.us-gov-west-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2')).toMatchObject({ result: 'skip', exceptions: ['kyverno/kube-proxy'] });
    for (const image of [
      '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2',
      '151742754352.dkr.ecr.us-gov-east-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2',
      '013241004608.dkr.ecr.us-gov-east-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2',
      '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2',
    ]) {
      expect(hostNetwork(engine, image).result, image).toBe('fail');
    }
  });

  test('WHEN an environment runs in af-south-1 THEN its own add-on account is granted and the common one is not', () => {
    const component = adrPoliciesComponent({ platform, env: { ...env, region: 'af-south-1' } });
    const engine = engineOf(component.manifests);
    expect(hostNetwork(engine, '877085696533.dkr.ecr.af-south-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2').result).toBe('skip');
    expect(hostNetwork(engine, '602401143452.dkr.ecr.af-south-1.amazonaws.com/eks/kube-proxy:v1.33.0-eksbuild.2').result).toBe('fail');
  });
});

describe('GIVEN falcosidekick, whose values carry the restricted profile', () => {
  const { objects } = renderEnv('dev');
  const values = (objects.find((object) => object.kind === 'HelmRelease' && object.metadata.name === 'falco')!.spec as { values: { falcosidekick: Record<string, unknown> } }).values.falcosidekick;

  test('THEN its pod as the subchart writes it (both contexts verbatim) passes every shipped policy, and no exception ships for it', () => {
    const pod = parseObjects(
      'pod.yaml',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'falco-falcosidekick-abc', namespace: 'falco', labels: { 'app.kubernetes.io/name': 'falcosidekick' } },
        spec: { securityContext: values.podSecurityContext, containers: [{ name: 'falcosidekick', image: imageReference(IMAGES.falcosidekick, undefined), securityContext: values.securityContext }] },
      }),
    );
    const results = engineOf(objects).evaluate(pod);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((result) => result.result !== 'pass').map((result) => `${result.policy}: ${result.result}`)).toEqual([]);
    expect(exceptionNames(objects).filter((name) => name.includes('sidekick'))).toEqual([]);
  });
});
