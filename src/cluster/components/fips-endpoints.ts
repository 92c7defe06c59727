/**
 * FIPS endpoints for the in-cluster AWS clients (falcosidekick, the CIS collector): in GovCloud,
 * and wherever a node group runs the FIPS Bottlerocket variant, their AWS SDKs must reach the
 * FIPS 140 validated endpoints (s3-fips, logs-fips, sts-fips ...). Both SDKs (aws-sdk-go in
 * falcosidekick, the JavaScript SDK v3 in the collector) read `AWS_USE_FIPS_ENDPOINT`.
 */
import type { EnvironmentConfig } from '../../config/index.js';

export function usesFipsEndpoints(env: Pick<EnvironmentConfig, 'region' | 'nodeGroups'>): boolean {
  return env.region.startsWith('us-gov-') || env.nodeGroups.some((group) => group.fips);
}

/** The container environment that selects FIPS endpoints, or nothing where they are not required. */
export function fipsEndpointEnv(env: Pick<EnvironmentConfig, 'region' | 'nodeGroups'>): Array<{ name: string; value: string }> {
  return usesFipsEndpoints(env) ? [{ name: 'AWS_USE_FIPS_ENDPOINT', value: 'true' }] : [];
}
