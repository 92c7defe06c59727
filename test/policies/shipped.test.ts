/**
 * src/policies owns the policy set and chooses what ships: the exact files of each configuration
 * are pinned here, so adding, dropping or mis-selecting a file fails a test.
 */
import { describe, expect, test } from 'vitest';
import { PRIVILEGED_FALCO_EXCEPTION, loadPolicyLibrary, shippedPolicyFiles } from '../../src/policies/index.js';
import { EXAMPLE, environment, loadExample, renderEnv } from '../cluster/fixture.js';

const POLICIES = [
  'bottlerocket-disallow-host-network.yaml',
  'bottlerocket-disallow-host-pid-ipc.yaml',
  'bottlerocket-disallow-privileged.yaml',
  'bottlerocket-disallow-root-group.yaml',
  'bottlerocket-disallow-uid-zero.yaml',
  'bottlerocket-replicationcontrollers.yaml',
  'bottlerocket-require-drop-all.yaml',
  'bottlerocket-require-seccomp.yaml',
  'bottlerocket-restrict-api-socket.yaml',
  'bottlerocket-restrict-block-devices.yaml',
  'bottlerocket-restrict-block-volume-claims.yaml',
  'bottlerocket-restrict-csi-inline-volumes.yaml',
  'bottlerocket-restrict-ephemeral-containers.yaml',
  'bottlerocket-restrict-escalation.yaml',
  'bottlerocket-restrict-gpu-devices.yaml',
  'bottlerocket-restrict-persistent-volumes.yaml',
  'bottlerocket-restrict-runtime-sockets.yaml',
  'bottlerocket-restrict-selinux-labels.yaml',
  'bottlerocket-restrict-system-mounts.yaml',
];
const EXCEPTIONS_LEAST_PRIVILEGED = [
  'aws-node.yaml',
  'brupop-agent.yaml',
  'brupop-apiserver.yaml',
  'brupop-controller.yaml',
  'cis-collector.yaml',
  'coredns.yaml',
  'ebs-csi-controller.yaml',
  'ebs-csi-node-windows.yaml',
  'ebs-csi-node.yaml',
  'eks-pod-identity-agent.yaml',
  'falco.yaml',
  'kube-proxy.yaml',
];

const library = loadPolicyLibrary();
const names = (files: ReadonlyArray<{ name: string }>) => files.map((file) => file.name);

describe('the shipped policy set', () => {
  test('GIVEN falco.leastPrivileged true (the default) THEN every policy and every exception except the privileged-Falco one', () => {
    const shipped = shippedPolicyFiles(library, { falco: { ...environment(loadExample(), 'dev').falco, leastPrivileged: true } });
    expect(names(shipped.policies)).toEqual(POLICIES);
    expect(names(shipped.exceptions)).toEqual(EXCEPTIONS_LEAST_PRIVILEGED);
  });

  test('GIVEN falco.leastPrivileged false THEN the privileged-Falco exception ships as well', () => {
    const shipped = shippedPolicyFiles(library, { falco: { ...environment(loadExample(), 'dev').falco, leastPrivileged: false } });
    expect(names(shipped.policies)).toEqual(POLICIES);
    expect(names(shipped.exceptions)).toEqual([...EXCEPTIONS_LEAST_PRIVILEGED, PRIVILEGED_FALCO_EXCEPTION].sort());
  });

  test.each([
    ['the example (least privileged)', EXAMPLE, false],
    ['dev with falco.leastPrivileged false', EXAMPLE.replace('    falco:\n      minimumPriority: notice\n', '    falco:\n      minimumPriority: notice\n      leastPrivileged: false\n'), true],
  ])('GIVEN %s THEN the rendered dev tree carries the privileged-Falco exception: %s', (_what, text, expected) => {
    expect(text.includes('leastPrivileged: false')).toBe(expected);
    const exceptionNames = (files: ReadonlyArray<{ objects: ReadonlyArray<{ object: { metadata?: unknown } }> }>) => files.flatMap((file) => file.objects.map((origin) => (origin.object.metadata as { name: string }).name));
    const shipped = exceptionNames(library.exceptions.filter((file) => expected || file.name !== PRIVILEGED_FALCO_EXCEPTION));
    const rendered = renderEnv('dev', text).objects.filter((object) => object.kind === 'PolicyException').map((object) => object.metadata.name);
    expect(rendered).toEqual(shipped);
    const privileged = exceptionNames(library.exceptions.filter((file) => file.name === PRIVILEGED_FALCO_EXCEPTION));
    expect(privileged.length).toBeGreaterThan(0);
    for (const name of privileged) expect(rendered.includes(name)).toBe(expected);
  });
});
