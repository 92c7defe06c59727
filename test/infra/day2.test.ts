/**
 * Day-2 changes deploy: for every field a team edits on a running environment, synthesize before
 * and after and ask the CloudFormation resource schemas (create-only properties, shipped in the
 * aws-cdk CLI) whether any resource with a name of ours would need replacing under the same
 * name, which CloudFormation refuses. Node groups change name with their create-only properties,
 * so FIPS or a new instance type creates the new group before the old one goes.
 *
 * Fields that move the environment to a new network, account or region are rebuilds, not
 * day-2 changes (README "Teardown and rebuild"); they are listed at the end so the list is complete.
 */
import { describe, expect, test } from 'vitest';
import { parseConfig, resolvePlatform, type EnvironmentConfig, type PlatformConfig, type PlatformModel } from '../../src/config/index.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { NODEGROUP_REPLACING_PROPERTIES } from '../../src/infra/nodegroup.js';
import { EXAMPLE_CONFIG_TEXT } from './fixture.js';
import { createOnlyProperties, replacements } from './support/replacement.js';

const ENV = 'staging';

const example = parseConfig('platform.yaml', EXAMPLE_CONFIG_TEXT);

/** The edited config through the resolve pass, as `synth` would see it (derived values follow the edit). */
function resolved(config: PlatformConfig): PlatformModel {
  return resolvePlatform({ config, source: example.source });
}

function synth(config: PlatformConfig) {
  const { app, stacks } = buildPlatformApp(resolved(config), { gates: 'none', environments: [ENV] });
  return app.synth().getStackByName(stacks.get(ENV)!.stackName).template as Parameters<typeof replacements>[0];
}

function edited(change: (env: EnvironmentConfig) => void): PlatformConfig {
  const config = structuredClone(example.config);
  change(config.environments.find((env) => env.name === ENV)!);
  return config;
}

const group = (env: EnvironmentConfig, index = 0) => env.nodeGroups[index]!;

const DAY_TWO_CHANGES: ReadonlyArray<readonly [string, (env: EnvironmentConfig) => void]> = [
  ['node group: fips on → off', (env) => void (group(env).fips = false)],
  ['node group: add an instance type', (env) => void group(env).instanceTypes.push('m6i.xlarge')],
  ['node group: capacity type', (env) => void (group(env).capacityType = 'SPOT')],
  ['node group: architecture (with matching instance types)', (env) => Object.assign(group(env), { architecture: 'arm64', instanceTypes: ['m7g.xlarge'] })],
  ['node group: sizes', (env) => Object.assign(group(env), { minSize: 4, desiredSize: 5, maxSize: 12 })],
  ['node group: release version', (env) => void (group(env).releaseVersion = '1.48.0-0a1b2c3d')],
  ['node group: labels', (env) => void (group(env).labels = { team: 'platform' })],
  ['node group: taints', (env) => void (group(env).taints = [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }])],
  ['node group: data volume', (env) => void (group(env).dataVolume = { sizeGiB: 80, type: 'gp3', iops: 4000, throughputMiBps: 250 })],
  ['node group: update config', (env) => void (group(env).updateConfig = { maxUnavailablePercentage: 25 })],
  ['node group: auto repair', (env) => void (group(env).autoRepair = false)],
  ['node groups: add one', (env) => void env.nodeGroups.push({ ...structuredClone(group(env)), name: 'extra' })],
  ['cluster: Kubernetes version', (env) => void (env.kubernetesVersion = '1.34')],
  ['cluster: extended support', (env) => void (env.kubernetesSupport = 'extended')],
  ['cluster: public endpoint with an allow-list', (env) => Object.assign(env.endpointAccess, { mode: 'public-and-private', publicCidrs: ['203.0.113.0/24'] })],
  ['cluster: private access networks', (env) => Object.assign(env.endpointAccess.privateAccess, { cidrs: ['10.200.0.0/16'], securityGroupIds: ['sg-0abc12345def67890'], prefixListIds: ['pl-0abc12345def67890'] })],
  ['cluster: private access without the VPC CIDR', (env) => void (env.endpointAccess.privateAccess.includeVpcCidr = false)],
  ['cluster: another admin', (env) => void env.access.clusterAdminRoleArns.push('arn:aws-us-gov:iam::222222222222:role/EXAMPLE-break-glass')],
  ['cluster: admins reordered', (env) => void env.access.clusterAdminRoleArns.unshift('arn:aws-us-gov:iam::222222222222:role/EXAMPLE-break-glass')],
  ['cluster: an entry changes level and scope', (env) => Object.assign(env.access.entries[0]!, { policy: 'view', namespaces: undefined })],
  ['cluster: an entry for another principal', (env) => void (env.access.entries[0]!.principalArn = 'arn:aws-us-gov:iam::222222222222:role/EXAMPLE-other')],
  ['cluster: control-plane log retention', (env) => void (env.controlPlaneLogs.retentionDays = 731)],
  ['network: VPC endpoints', (env) => 'createVpc' in env.network && void (env.network.createVpc.vpcEndpoints = ['s3', 'ecr.api', 'ecr.dkr', 'sts'])],
  ['network: NAT gateways', (env) => 'createVpc' in env.network && void (env.network.createVpc.natGateways = 2)],
  ['evidence: retention and mode', (env) => Object.assign(env.evidence, { retentionDays: 400, objectLockMode: 'GOVERNANCE' })],
  ['falco: a SOC log group', (env) => void (env.falco.cloudwatchLogGroup = '/soc/falco/staging')],
];

/** Changes that build a new environment: CloudFormation replaces the cluster (its subnets are create-only). */
const REBUILDS: ReadonlyArray<readonly [string, (env: EnvironmentConfig) => void]> = [
  ['network: VPC CIDR', (env) => 'createVpc' in env.network && void (env.network.createVpc.cidr = '10.21.0.0/16')],
  ['network: zone count', (env) => 'createVpc' in env.network && void Object.assign(env.network.createVpc, { maxAzs: 2, natGateways: 2 })],
];

describe('day-2 changes need no replacement of a resource we named', () => {
  const before = synth(example.config);

  test.each(DAY_TWO_CHANGES)('%s', (_what, change) => {
    const after = synth(edited(change));
    expect(after).not.toEqual(before);
    const blocked = replacements(before, after).filter((replacement) => replacement.blocked);
    expect(blocked.map((replacement) => `${replacement.logicalId} (${replacement.type}): ${replacement.changes.join(', ')}`)).toEqual([]);
  });

  test('reordering node groups, admins or entries changes nothing (resources are keyed by name, not position)', () => {
    const reordered = edited((env) => {
      env.nodeGroups.reverse();
      env.access.entries.reverse();
    });
    expect(synth(reordered)).toEqual(before);
  });

  test('turning FIPS on and adding an instance type replaces the node group under a new name', () => {
    const config = structuredClone(example.config);
    const dev = (platform: PlatformConfig) => {
      const { app, stacks } = buildPlatformApp(resolved(platform), { gates: 'none', environments: ['dev'] });
      return app.synth().getStackByName(stacks.get('dev')!.stackName).template as Parameters<typeof replacements>[0];
    };
    const old = dev(config);
    Object.assign(config.environments[0]!.nodeGroups[0]!, { fips: true, instanceTypes: ['m7i.large', 'm6i.large'] });
    const found = replacements(old, dev(config)).filter((replacement) => replacement.type === 'AWS::EKS::Nodegroup');
    expect(found).toEqual([{ logicalId: expect.any(String), type: 'AWS::EKS::Nodegroup', changes: ['NodegroupName', 'AmiType', 'InstanceTypes'].sort((a, b) => createOnlyProperties('AWS::EKS::Nodegroup').indexOf(a) - createOnlyProperties('AWS::EKS::Nodegroup').indexOf(b)), blocked: false }]);
  });

  test('the node group name hashes exactly the create-only properties of the resource schema (besides cluster and name)', () => {
    expect([...NODEGROUP_REPLACING_PROPERTIES].sort()).toEqual(createOnlyProperties('AWS::EKS::Nodegroup').filter((name) => name !== 'ClusterName' && name !== 'NodegroupName').sort());
  });

  test.each(REBUILDS)('%s is a rebuild: the checker sees the cluster replaced (so the day-2 checks above can fail)', (_what, change) => {
    const blocked = replacements(before, synth(edited(change))).filter((replacement) => replacement.blocked);
    expect(blocked.map((replacement) => replacement.type)).toContain('AWS::EKS::Cluster');
  });
});
