/**
 * The Pod Security Admission level of each namespace must fit what the pinned charts run there:
 * `restricted` only where every pod of the chart's reference render meets it, `privileged`
 * only where some pod needs host access that `baseline` forbids.
 */
import { describe, expect, test } from 'vitest';
import { renderEnv } from '../../test/cluster/fixture.js';
import { referenceDocuments } from '../support/reference.js';

const RENDERS: Record<string, string> = { 'cert-manager': 'cert-manager.yaml', kyverno: 'kyverno.yaml', falco: 'falco.yaml', brupop: 'brupop.yaml' };

interface PodSpec {
  securityContext?: Record<string, any>;
  containers?: Array<{ securityContext?: Record<string, any> }>;
  initContainers?: Array<{ securityContext?: Record<string, any> }>;
  volumes?: Array<Record<string, unknown>>;
  hostNetwork?: boolean;
}

function podSpecs(file: string): PodSpec[] {
  return referenceDocuments(`upstream-manifests/${file}`).flatMap((doc: Record<string, any>) => {
    const spec = doc.kind === 'CronJob' ? doc.spec?.jobTemplate?.spec?.template?.spec : doc.spec?.template?.spec;
    return spec === undefined ? [] : [spec as PodSpec];
  });
}

function meetsRestricted(pod: PodSpec): boolean {
  return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].every(({ securityContext: sc = {} }) => {
    const runAsNonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const seccomp = (sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type;
    return runAsNonRoot === true && sc.allowPrivilegeEscalation === false && (sc.capabilities?.drop ?? []).includes('ALL') && seccomp === 'RuntimeDefault' && sc.privileged !== true;
  });
}

/** What `baseline` forbids: privileged containers, hostPath volumes, host namespaces, custom SELinux types. */
function needsPrivileged(pod: PodSpec): boolean {
  const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])];
  return pod.hostNetwork === true || (pod.volumes ?? []).some((volume) => 'hostPath' in volume) || containers.some(({ securityContext: sc = {} }) => sc.privileged === true || sc.seLinuxOptions?.type !== undefined);
}

describe('GIVEN the reference renders of the pinned charts', () => {
  const { tree } = renderEnv('dev');
  test.each(Object.entries(RENDERS))('THEN the %s namespace level fits its pods', (component, file) => {
    const level = tree.components.find((candidate) => candidate.name === component)?.namespace?.podSecurity;
    const pods = podSpecs(file);
    expect(pods.length).toBeGreaterThan(0);
    if (level === 'restricted') expect(pods.filter((pod) => !meetsRestricted(pod))).toEqual([]);
    else expect([level, pods.some(needsPrivileged)]).toEqual(['privileged', true]);
  });
});
