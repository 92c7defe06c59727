/**
 * Falco rules for the Bottlerocket-specific items of ADR-15 ("Security responsibilities") that
 * the upstream rule set misses: the host API socket, the container runtime socket, and IMDS from
 * the host network (the only way left to reach IMDS with a hop limit of 1, see "Shared concerns").
 *
 * The rules rely on fields of the container plugin the Falco chart loads (`container.*`,
 * `k8s.ns.name`), so they need no Kubernetes metadata collector.
 */
import { WORKLOADS } from '../../common/names.js';
import { toYaml } from '../../common/yaml-writer.js';
import type { EnvironmentConfig } from '../../config/index.js';
import { IMAGES, imageRegistry, type PinnedImage } from '../images.js';
import { collectorReference } from './cis-collector.js';

export type FalcoPriority = 'EMERGENCY' | 'ALERT' | 'CRITICAL' | 'ERROR' | 'WARNING' | 'NOTICE' | 'INFORMATIONAL' | 'DEBUG';

export interface FalcoList {
  readonly list: string;
  readonly items: readonly string[];
}

export interface FalcoMacro {
  readonly macro: string;
  readonly condition: string;
}

export interface FalcoRule {
  readonly rule: string;
  readonly desc: string;
  readonly condition: string;
  readonly output: string;
  readonly priority: FalcoPriority;
  readonly tags: readonly string[];
}

export type FalcoRulesItem = FalcoList | FalcoMacro | FalcoRule;

/** File name of the rules inside Falco's `rules.d` (the chart's `customRules` key). */
export const FALCO_RULES_FILE = 'bottlerocket-eks-rules.yaml';

/** Where an image of ours is pulled from, without tag or digest: the mirror follows `mirror.registry`. */
function pulledRepository(pinned: PinnedImage, env: Pick<EnvironmentConfig, 'mirror'>): string {
  return `${imageRegistry(pinned, env.mirror?.registry)}/${pinned.repository}`;
}
/** The VPC CNI (aws-node) runs on the host network and reads instance metadata by design. */
const IMDS_HOST_NETWORK_CLIENT_SUFFIXES = ['/amazon-k8s-cni', '/amazon-k8s-cni-init', '/amazon/aws-network-policy-agent'] as const;

/** A value that would break the Falco condition syntax is a bug: the resolve pass refuses such a `cis.image`. */
function literal(value: string): string {
  if (/["\\\s,()]/.test(value)) throw new Error(`${JSON.stringify(value)} cannot be used in a Falco rule condition`);
  return value;
}

function quoted(value: string): string {
  return `"${literal(value)}"`;
}

/** `repo` of `repo[:tag]@sha256:...` (the container plugin reports the repository without tag or digest). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

const TAGS = ['bottlerocket', 'adr-15'] as const;
const CONTEXT = 'ns=%k8s.ns.name pod=%k8s.pod.name image=%container.image.repository proc=%proc.name cmdline=%proc.cmdline';

type RulesEnvironment = Pick<EnvironmentConfig, 'cis' | 'mirror'>;

export function falcoRules(env: RulesEnvironment): FalcoRulesItem[] {
  const inWorkload = (namespace: string, repositoryCondition: string) => `(k8s.ns.name = ${quoted(namespace)} and ${repositoryCondition})`;
  return [
    { macro: 'bottlerocket_eks_in_container', condition: 'container.id != host' },
    // open* for files, connect for the Unix sockets; fd.name of a Unix socket ends in its path.
    { macro: 'bottlerocket_eks_fd_access', condition: 'evt.type in (open, openat, openat2, connect)' },
    {
      macro: 'bottlerocket_eks_api_socket_clients',
      condition: `(${inWorkload(WORKLOADS.brupopAgent.namespace, `container.image.repository = ${quoted(pulledRepository(IMAGES.brupop, env))}`)} or ${inWorkload(
        WORKLOADS.cisCollector.namespace,
        `container.image.repository = ${quoted(imageRepository(collectorReference(env)))}`,
      )})`,
    },
    // Falco itself queries the runtime socket for container metadata.
    { list: 'bottlerocket_eks_falco_images', items: [literal(pulledRepository(IMAGES.falco, env))] },
    {
      macro: 'bottlerocket_eks_runtime_socket_clients',
      condition: inWorkload(WORKLOADS.falco.namespace, 'container.image.repository in (bottlerocket_eks_falco_images)'),
    },
    {
      macro: 'bottlerocket_eks_imds_host_network_clients',
      condition: `(k8s.ns.name = "kube-system" and (${IMDS_HOST_NETWORK_CLIENT_SUFFIXES.map((suffix) => `container.image.repository endswith ${quoted(suffix)}`).join(' or ')}))`,
    },
    {
      rule: 'Bottlerocket API socket accessed by unexpected container',
      desc: 'A container other than the brupop agent or the CIS collector opened or connected to the Bottlerocket API socket /run/api.sock, which controls the host.',
      condition:
        'bottlerocket_eks_fd_access and bottlerocket_eks_in_container and fd.name contains "/run/api.sock" and not bottlerocket_eks_api_socket_clients',
      output: `Bottlerocket API socket accessed by unexpected container (fd=%fd.name ${CONTEXT})`,
      priority: 'ERROR',
      tags: [...TAGS, 'host', 'mitre_privilege_escalation'],
    },
    {
      rule: 'Container runtime socket accessed by container',
      desc: 'A container touched /run/host-containerd/ or a containerd socket, which gives control over every container on the node.',
      condition:
        'bottlerocket_eks_fd_access and bottlerocket_eks_in_container and (fd.name contains "/run/host-containerd/" or fd.name contains "containerd.sock") and not bottlerocket_eks_runtime_socket_clients',
      output: `Container runtime socket accessed by container (fd=%fd.name ${CONTEXT})`,
      priority: 'CRITICAL',
      tags: [...TAGS, 'container', 'mitre_privilege_escalation'],
    },
    {
      rule: 'Instance metadata contacted from host network container',
      desc: 'A container on the host network connected to the instance metadata service (169.254.169.254), bypassing the hop limit that keeps pods on their Pod Identity role.',
      condition:
        'evt.type = connect and bottlerocket_eks_in_container and container.host_network = true and fd.sip = "169.254.169.254" and not bottlerocket_eks_imds_host_network_clients',
      output: `Instance metadata contacted from host network container (connection=%fd.name ${CONTEXT})`,
      priority: 'WARNING',
      tags: [...TAGS, 'network', 'mitre_credential_access'],
    },
  ];
}

/** The rules file as Falco reads it: a YAML sequence of list, macro and rule items. */
export function falcoRulesFile(env: RulesEnvironment): string {
  return toYaml(falcoRules(env));
}
