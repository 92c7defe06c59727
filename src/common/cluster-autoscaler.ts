/**
 * Facts about the Cluster Autoscaler both layers and the resolve pass need: which release runs on
 * which Kubernetes minor, and the tag keys it reads. The autoscaler's minor must match the
 * cluster's Kubernetes minor (its FAQ and the chart's `image.tag` note), so each supported minor
 * has exactly one release here, and a minor without one is refused at load time
 * (`src/config/resolve/cluster-autoscaler.ts`) rather than guessed.
 *
 * Each tag was read from the kubernetes/autoscaler repository (tag `cluster-autoscaler-<version>`,
 * whose `cluster-autoscaler/version/version.go` says the same version) and its release notes,
 * which list `registry.k8s.io/autoscaling/cluster-autoscaler:v<version>` under "Images" (all four
 * published 2026-07-23). They are the newest patch of each minor at that time. 1.36 (release
 * 1.36.1) is not offered: the pinned chart 9.59.0 was written for 1.35 (its appVersion), and
 * nothing here checked that its RBAC covers 1.36.
 */

/** Cluster Autoscaler image tag per Kubernetes minor (EKS's `version`). */
export const CLUSTER_AUTOSCALER_RELEASES = {
  '1.33': 'v1.33.6',
  '1.34': 'v1.34.5',
  '1.35': 'v1.35.2',
} as const satisfies Readonly<Record<string, string>>;

export type AutoscaledKubernetesVersion = keyof typeof CLUSTER_AUTOSCALER_RELEASES;

export function isAutoscaledKubernetesVersion(version: string): version is AutoscaledKubernetesVersion {
  return Object.hasOwn(CLUSTER_AUTOSCALER_RELEASES, version);
}

/** Prefix of every tag key the autoscaler's AWS provider reads (discovery, node templates). */
export const CLUSTER_AUTOSCALER_TAG_PREFIX = 'k8s.io/cluster-autoscaler';

/**
 * The Auto Scaling group tags auto-discovery requires. EKS puts both on the group of every managed
 * node group, the second with the value `owned`, which the IAM policy's condition relies on.
 */
export function discoveryTagKeys(clusterName: string): readonly [string, string] {
  return [`${CLUSTER_AUTOSCALER_TAG_PREFIX}/enabled`, `${CLUSTER_AUTOSCALER_TAG_PREFIX}/${clusterName}`];
}
