/**
 * The network plan: availability zones (named, so synthesis stays offline) and, for a created
 * VPC, the subnet groups, with the CIDR checked to hold one subnet of each group in every zone
 * (CDK would otherwise fail deep in synthesis).
 */
import type { EnvironmentConfig } from '../schema.js';
import type { SubnetGroupModel } from '../model.js';
import { problemAt, type ConfigCheck } from './validator.js';

/** Public subnets hold only NAT gateways and load balancers; nodes and the API ENIs use the private ones. */
export const SUBNET_GROUPS: readonly SubnetGroupModel[] = [
  { name: 'public', type: 'public', cidrMask: 24 },
  { name: 'nodes', type: 'private-with-egress', cidrMask: 19 },
];

const ZONE_LETTERS = 'abcdef';

/** `<region>a`, `<region>b`, ...: named zones keep synthesis offline (a lookup needs credentials). */
export function defaultAvailabilityZones(region: string, count: number): string[] {
  return [...ZONE_LETTERS.slice(0, count)].map((letter) => `${region}${letter}`);
}

export function availabilityZones(env: Pick<EnvironmentConfig, 'network' | 'region'>): string[] {
  const { network } = env;
  return 'existingVpc' in network ? [...network.existingVpc.availabilityZones] : defaultAvailabilityZones(env.region, network.createVpc.maxAzs);
}

const addresses = (prefix: number) => 2 ** (32 - prefix);

export const checkVpcCapacity: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    if (!('createVpc' in env.network)) return [];
    const { cidr, maxAzs } = env.network.createVpc;
    const prefix = Number(cidr.split('/')[1]);
    const needed = maxAzs * SUBNET_GROUPS.reduce((sum, group) => sum + addresses(group.cidrMask), 0);
    if (needed <= addresses(prefix)) return [];
    const groups = SUBNET_GROUPS.map((group) => `a /${group.cidrMask} ${group.name} subnet`).join(' and ');
    const fits = [...Array(prefix).keys()].reverse().find((candidate) => addresses(candidate) >= needed);
    return [
      problemAt(
        source,
        ['environments', index, 'network', 'createVpc', 'cidr'],
        `${cidr} has ${addresses(prefix)} addresses, but ${maxAzs} zones with ${groups} each need ${needed}: use a /${fits ?? 16} or larger, or fewer \`maxAzs\``,
      ),
    ];
  });
