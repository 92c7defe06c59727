/**
 * The Cluster Autoscaler: on by default where a node group can change size, and refused where it
 * could not work as configured.
 *
 * - Its minor must match the cluster's Kubernetes minor, and only minors with a verified release
 *   (`src/common/cluster-autoscaler.ts`) can get one; no tag is guessed.
 * - A node group that can be at zero nodes is known to the autoscaler only through EKS
 *   DescribeNodegroup (its labels and taints), and the AWS provider drops a taint that has no
 *   value there (cloudprovider/aws/aws_wrapper.go, `getManagedNodegroupInfo`, in 1.33 to 1.35). It
 *   would then scale the group up for pods that do not tolerate the taint, and the new nodes could
 *   not take them. Such a taint needs a value.
 */
import { CLUSTER_AUTOSCALER_RELEASES, isAutoscaledKubernetesVersion } from '../../common/cluster-autoscaler.js';
import type { EnvironmentConfig } from '../schema.js';
import { problemAt, type ConfigCheck } from './validator.js';

/** `clusterAutoscaler.enabled`, defaulting to on when any node group can grow or shrink. */
export function clusterAutoscalerEnabled(env: Pick<EnvironmentConfig, 'clusterAutoscaler' | 'nodeGroups'>): boolean {
  return env.clusterAutoscaler.enabled ?? env.nodeGroups.some((group) => group.maxSize > group.minSize);
}

export const checkClusterAutoscaler: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, envIndex) => {
    if (!clusterAutoscalerEnabled(env)) return [];
    const at = (...path: Array<string | number>) => ['environments', envIndex, ...path];
    const how = env.clusterAutoscaler.enabled === true ? 'clusterAutoscaler.enabled is true' : 'a node group has maxSize > minSize, so the Cluster Autoscaler is on by default';
    const version = isAutoscaledKubernetesVersion(env.kubernetesVersion)
      ? []
      : [
          problemAt(
            source,
            at('kubernetesVersion'),
            `${how}, but no Cluster Autoscaler release is recorded for Kubernetes ${env.kubernetesVersion} (its minor must match the cluster's; known: ${Object.keys(CLUSTER_AUTOSCALER_RELEASES).join(', ')}). Use one of those versions, or set clusterAutoscaler.enabled: false`,
          ),
        ];
    const valuelessTaints = env.nodeGroups.flatMap((group, groupIndex) =>
      group.minSize > 0
        ? []
        : group.taints.flatMap((taint, taintIndex) =>
            taint.value === undefined
              ? [
                  problemAt(
                    source,
                    at('nodeGroups', groupIndex, 'taints', taintIndex),
                    `node group "${group.name}" can be at zero nodes, and the Cluster Autoscaler learns its taints from EKS DescribeNodegroup, where it ignores a taint without a value: it would add nodes for pods that do not tolerate taint "${taint.key}". Give the taint a value (e.g. value: "true"), or set minSize to at least 1`,
                  ),
                ]
              : [],
          ),
    );
    return [...version, ...valuelessTaints];
  });
