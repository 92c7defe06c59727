/**
 * Which Bottlerocket variant a node group runs, and where Amazon publishes its newest release.
 * The public SSM parameter's value is exactly what a managed node group's `releaseVersion` takes.
 */
import type { EnvironmentConfig, NodeGroupConfig } from '../config/index.js';

export interface Variant {
  /** `aws-k8s-1.33` or `aws-k8s-1.33-fips`. */
  readonly name: string;
  readonly architecture: NodeGroupConfig['architecture'];
}

export function variantOf(env: Pick<EnvironmentConfig, 'kubernetesVersion'>, group: Pick<NodeGroupConfig, 'fips' | 'architecture'>): Variant {
  return { name: `aws-k8s-${env.kubernetesVersion}${group.fips ? '-fips' : ''}`, architecture: group.architecture };
}

/** `aws-k8s-1.33-fips/x86_64`, the form Bottlerocket's docs and the SSM path use. */
export function formatVariant(variant: Variant): string {
  return `${variant.name}/${variant.architecture}`;
}

export function latestReleaseParameter(variant: Variant): string {
  return `/aws/service/bottlerocket/${formatVariant(variant)}/latest/image_version`;
}

/** `1.47.0` of `1.47.0-6154605b`. */
export function baseVersion(release: string): string {
  return release.split('-')[0] ?? release;
}

/**
 * Order two release versions (`1.47.0-6154605b`) by their semantic version; the build suffix
 * does not order releases, so two builds of one version compare equal.
 */
export function compareReleases(a: string, b: string): number {
  const numbers = (version: string) => baseVersion(version).split('.').map(Number);
  const [left, right] = [numbers(a), numbers(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
