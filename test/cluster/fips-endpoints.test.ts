/**
 * Every in-cluster AWS client (falcosidekick, the CIS collector) uses FIPS endpoints in GovCloud
 * and wherever a node group runs the FIPS variant, through the environment variable both SDKs read.
 */
import { describe, expect, test } from 'vitest';
import { cisCollectorComponent } from '../../src/cluster/components/cis-collector.js';
import { falcoComponent } from '../../src/cluster/components/falco.js';
import type { EnvironmentModel } from '../../src/config/index.js';
import { environment, loadExample } from './fixture.js';

const platform = loadExample();
const dev = environment(platform, 'dev');

function clientEnv(env: EnvironmentModel) {
  const sidekick = ((falcoComponent({ platform, env }).charts[0]!.values as { falcosidekick: { config: { extraEnv?: unknown[] } } }).falcosidekick.config.extraEnv) ?? [];
  const daemonSet = cisCollectorComponent({ platform, env }).manifests.find((manifest) => manifest.kind === 'DaemonSet') as unknown as { spec: { template: { spec: { containers: Array<{ env: unknown[] }> } } } };
  return { sidekick, collector: daemonSet.spec.template.spec.containers[0]!.env };
}

const FIPS = { name: 'AWS_USE_FIPS_ENDPOINT', value: 'true' };

describe('FIPS endpoints for in-cluster AWS clients', () => {
  test('GIVEN a GovCloud environment THEN falcosidekick and the CIS collector set AWS_USE_FIPS_ENDPOINT=true', () => {
    expect(dev.region).toMatch(/^us-gov-/);
    const { sidekick, collector } = clientEnv(dev);
    expect(sidekick).toContainEqual(FIPS);
    expect(collector).toContainEqual(FIPS);
  });

  test('GIVEN a commercial region with a FIPS node group THEN both set it', () => {
    const env: EnvironmentModel = { ...dev, region: 'us-east-1', nodeGroups: dev.nodeGroups.map((group) => ({ ...group, fips: true })) };
    const { sidekick, collector } = clientEnv(env);
    expect(sidekick).toContainEqual(FIPS);
    expect(collector).toContainEqual(FIPS);
  });

  test('GIVEN a commercial region without FIPS node groups THEN neither sets it', () => {
    const env: EnvironmentModel = { ...dev, region: 'us-east-1', nodeGroups: dev.nodeGroups.map((group) => ({ ...group, fips: false })) };
    const { sidekick, collector } = clientEnv(env);
    expect(JSON.stringify([sidekick, collector])).not.toContain('AWS_USE_FIPS_ENDPOINT');
  });
});
