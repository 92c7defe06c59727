/**
 * The Bottlerocket update operator (ADR-15 "Decision": installed on every cluster). Its agent
 * talks to each node's API socket, so its namespace must allow privileged pods.
 */
import { WORKLOADS } from '../../common/names.js';
import type { ClusterComponent, RenderContext } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { IMAGES, imageReference } from '../images.js';
import { CHARTS } from '../versions.js';
import { CERT_MANAGER } from './cert-manager.js';
import { tolerateNodeGroupTaints } from './tolerations.js';

export const BRUPOP = 'brupop';

export function brupopComponent({ env }: RenderContext): ClusterComponent {
  const namespace = WORKLOADS.brupopAgent.namespace;
  return {
    name: BRUPOP,
    // The operator chart creates cert-manager Issuers and Certificates.
    dependsOn: [CERT_MANAGER],
    // The agent mounts /run/api.sock from the host and runs with the super_t SELinux type.
    namespace: { name: namespace, podSecurity: 'privileged' },
    charts: [
      helmChart(CHARTS.brupopShadow, 'brupop-crd', {}),
      // The chart declares these as strings and quotes them into environment variables.
      helmChart(CHARTS.brupopOperator, 'brupop-operator', {
        namespace,
        image: imageReference(IMAGES.brupop, env.mirror?.registry),
        scheduler_cron_expression: env.updates.maintenanceWindow,
        max_concurrent_updates: String(env.updates.maxConcurrentUpdates),
        exclude_from_lb_wait_time_in_sec: String(env.updates.excludeFromLbWaitSeconds),
        placement: { agent: { tolerations: tolerateNodeGroupTaints(env) } },
      }),
    ],
    manifests: [],
    images: [IMAGES.brupop],
  };
}
