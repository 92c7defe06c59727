/**
 * Falco (ADR-15 "Security agents": syscall auditing via eBPF as a DaemonSet) with falcosidekick
 * shipping events to the evidence bucket and, optionally, the SOC.
 *
 * falcosidekick reaches S3 and CloudWatch Logs through EKS Pod Identity: the AWS layer binds its
 * role to WORKLOADS.falcosidekick, which is the service account the chart creates for release
 * `falco` (`<release>-falcosidekick`). No keys appear in the values.
 */
import { EVIDENCE_PREFIX, WORKLOADS } from '../../common/names.js';
import type { ClusterComponent, RenderContext } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { IMAGES, registryRepositoryTag } from '../images.js';
import { CHARTS } from '../versions.js';
import { FALCO_RULES_FILE, falcoRulesFile } from './falco-rules.js';
import { tolerateNodeGroupTaints } from './tolerations.js';
import { fipsEndpointEnv } from './fips-endpoints.js';

export const FALCO = 'falco';
/** The chart names the falcosidekick service account `<release>-falcosidekick`. */
export const FALCO_RELEASE = 'falco';

/** Bottlerocket's kubelet talks to containerd on this socket; no other engine runs there. */
const CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

function containerEngines(): Record<string, unknown> {
  const off = { enabled: false };
  return {
    docker: off,
    podman: off,
    containerd: { enabled: true, sockets: [CONTAINERD_SOCKET] },
    cri: { enabled: true, sockets: [CONTAINERD_SOCKET] },
    lxc: off,
    libvirt_lxc: off,
    bpm: off,
  };
}

/**
 * falcosidekick's pod and container securityContext (the chart passes both through verbatim): the
 * chart's UID 1234 with the restricted profile around it, so it passes every ADR policy and needs
 * no PolicyException. It only serves HTTP on 2801 and calls AWS, so it needs no capability.
 */
const SIDEKICK_POD_SECURITY = { runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234, fsGroup: 1234, seccompProfile: { type: 'RuntimeDefault' } };
const SIDEKICK_CONTAINER_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** falcosidekick outputs: the evidence bucket always, the SOC webhook and log group when configured. */
function sidekickConfig({ env }: RenderContext): Record<string, unknown> {
  const minimumpriority = env.falco.minimumPriority;
  const aws: Record<string, unknown> = {
    region: env.region,
    // falcosidekick writes `<prefix>/<date>/<event>.json`, adding the separator itself.
    s3: { bucket: env.evidenceBucketName, prefix: EVIDENCE_PREFIX.falco.replace(/\/$/, ''), minimumpriority },
  };
  if (env.falco.cloudwatchLogGroup !== undefined) aws.cloudwatchlogs = { loggroup: env.falco.cloudwatchLogGroup, minimumpriority };
  const extraEnv = fipsEndpointEnv(env);
  const config: Record<string, unknown> = { aws, ...(extraEnv.length > 0 ? { extraEnv } : {}) };
  if (env.falco.webhookUrl !== undefined) config.webhook = { address: env.falco.webhookUrl, minimumpriority };
  return config;
}

export function falcoComponent(context: RenderContext): ClusterComponent {
  const { env } = context;
  const mirror = env.mirror?.registry;
  return {
    name: FALCO,
    dependsOn: [],
    // Falco's eBPF probe needs host mounts and (without leastPrivileged) a privileged container.
    namespace: { name: WORKLOADS.falco.namespace, podSecurity: 'privileged' },
    charts: [
      helmChart(CHARTS.falco, FALCO_RELEASE, {
        image: registryRepositoryTag(IMAGES.falco, mirror),
        driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: env.falco.leastPrivileged } },
        collectors: { containerEngine: { engines: containerEngines() } },
        // No internet at start or later: falcoctl neither installs nor follows artifacts. The Falco
        // image carries the default rules (/etc/falco/falco_rules.yaml) and the container plugin
        // (libcontainer.so); our rules ship in these values. Without falcoctl the chart mounts no
        // emptyDir over /etc/falco, so the image's files are the ones loaded.
        falcoctl: { artifact: { install: { enabled: false }, follow: { enabled: false } } },
        tolerations: tolerateNodeGroupTaints(env),
        customRules: { [FALCO_RULES_FILE]: falcoRulesFile(env) },
        falcosidekick: {
          enabled: true,
          // Subchart 0.12.1 deploys 2.32.0 by default (its values.yaml, not its appVersion). 2.32.x
          // builds its AWS config without a credentials provider, so with Pod Identity and no keys
          // the S3 and CloudWatch outputs switch off, and its PutObject sends no checksum, which
          // the Object Lock bucket rejects (falcosidekick#1403); no tag up to 2.34.1 fixes both.
          // 2.31.1 (aws-sdk-go v1) reads Pod Identity credentials and sends Content-MD5.
          image: registryRepositoryTag(IMAGES.falcosidekick, mirror),
          podSecurityContext: SIDEKICK_POD_SECURITY,
          securityContext: SIDEKICK_CONTAINER_SECURITY,
          config: {
            ...sidekickConfig(context),
            // The SOC credential comes from this Secret at run time (envFrom after the chart's own).
            ...(env.falco.webhookCredentialsSecret === undefined ? {} : { existingSecret: env.falco.webhookCredentialsSecret }),
          },
        },
      }),
    ],
    manifests: [],
    images: [IMAGES.falco, IMAGES.falcosidekick],
    awsIdentities: [WORKLOADS.falcosidekick],
  };
}
