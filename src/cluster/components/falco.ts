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
import { CHARTS } from '../versions.js';
import { FALCO_RULES_FILE, falcoRulesFile } from './falco-rules.js';
import { tolerateNodeGroupTaints } from './tolerations.js';

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

/** falcosidekick outputs: the evidence bucket always, the SOC webhook and log group when configured. */
function sidekickConfig({ env }: RenderContext): Record<string, unknown> {
  const minimumpriority = env.falco.minimumPriority;
  const aws: Record<string, unknown> = {
    region: env.region,
    // falcosidekick writes `<prefix>/<date>/<event>.json`, adding the separator itself.
    s3: { bucket: env.evidenceBucketName, prefix: EVIDENCE_PREFIX.falco.replace(/\/$/, ''), minimumpriority },
  };
  if (env.falco.cloudwatchLogGroup !== undefined) aws.cloudwatchlogs = { loggroup: env.falco.cloudwatchLogGroup, minimumpriority };
  const config: Record<string, unknown> = { aws };
  if (env.falco.webhookUrl !== undefined) config.webhook = { address: env.falco.webhookUrl, minimumpriority };
  return config;
}

export function falcoComponent(context: RenderContext): ClusterComponent {
  const { env } = context;
  return {
    name: FALCO,
    dependsOn: [],
    // Falco's eBPF probe needs host mounts and (without leastPrivileged) a privileged container.
    namespace: { name: WORKLOADS.falco.namespace, podSecurity: 'privileged' },
    charts: [
      helmChart(CHARTS.falco, FALCO_RELEASE, {
        driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: env.falco.leastPrivileged } },
        collectors: { containerEngine: { engines: containerEngines() } },
        tolerations: tolerateNodeGroupTaints(env),
        customRules: { [FALCO_RULES_FILE]: falcoRulesFile(env) },
        falcosidekick: { enabled: true, config: sidekickConfig(context) },
      }),
    ],
    manifests: [],
    awsIdentities: [WORKLOADS.falcosidekick],
  };
}
