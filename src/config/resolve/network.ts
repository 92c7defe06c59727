/**
 * The network plan: availability zones (named, so synthesis stays offline) and, for a created
 * VPC, the subnet groups, with the CIDR checked to hold one subnet of each group in every zone
 * (CDK would otherwise fail deep in synthesis).
 */
import type { EnvironmentConfig } from '../schema.js';
import type { SubnetGroupModel } from '../model.js';
import { regionFacts, zoneNames } from './regions.js';
import { problemAt, type ConfigCheck } from './validator.js';

/** Public subnets hold only NAT gateways and load balancers; nodes and the API ENIs use the private ones. */
export const SUBNET_GROUPS: readonly SubnetGroupModel[] = [
  { name: 'public', type: 'public', cidrMask: 24 },
  { name: 'nodes', type: 'private-with-egress', cidrMask: 19 },
];

/**
 * The region's first `count` zones from the offline table (`regions.ts`): named zones keep
 * synthesis offline (a lookup needs credentials). `checkAvailabilityZones` refuses a count the
 * region lacks, or a region whose zones the table cannot name, before this is called.
 */
export function defaultAvailabilityZones(region: string, count: number): string[] {
  return (zoneNames(region) ?? []).slice(0, count);
}

export function availabilityZones(env: Pick<EnvironmentConfig, 'network' | 'region'>): string[] {
  const { network } = env;
  if ('existingVpc' in network) return [...network.existingVpc.availabilityZones];
  return network.createVpc.availabilityZones ? [...network.createVpc.availabilityZones] : defaultAvailabilityZones(env.region, network.createVpc.maxAzs);
}

const addresses = (prefix: number) => 2 ** (32 - prefix);

export const checkVpcCapacity: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    if (!('createVpc' in env.network)) return [];
    const { cidr } = env.network.createVpc;
    const maxAzs = availabilityZones(env).length;
    const prefix = Number(cidr.split('/')[1]);
    const needed = maxAzs * SUBNET_GROUPS.reduce((sum, group) => sum + addresses(group.cidrMask), 0);
    if (needed <= addresses(prefix)) return [];
    const groups = SUBNET_GROUPS.map((group) => `a /${group.cidrMask} ${group.name} subnet`).join(' and ');
    const fits = [...Array(prefix).keys()].reverse().find((candidate) => addresses(candidate) >= needed);
    return [
      problemAt(
        source,
        ['environments', index, 'network', 'createVpc', 'cidr'],
        `${cidr} has ${addresses(prefix)} addresses, but ${maxAzs} zones with ${groups} each need ${needed}: use a /${fits ?? 16} or larger, or fewer zones`,
      ),
    ];
  });

/** The zones a created VPC asks for exist in its region (offline table), and NAT gateways have a zone each. */
export const checkAvailabilityZones: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    if (!('createVpc' in env.network)) return [];
    const vpc = env.network.createVpc;
    const at = (...path: Array<string | number>) => ['environments', index, 'network', 'createVpc', ...path];
    const facts = regionFacts(env.region);
    const known = zoneNames(env.region);
    const problems = [];
    if (vpc.availabilityZones === undefined) {
      if (facts === undefined) {
        problems.push(problemAt(source, ['environments', index, 'region'], `region ${env.region} is not in the offline zone table; name the zones in \`network.createVpc.availabilityZones\``));
      } else if (known === undefined) {
        problems.push(problemAt(source, at(), `${env.region}'s zone letters differ between accounts; name yours in \`network.createVpc.availabilityZones\``));
      } else if (vpc.maxAzs > known.length) {
        problems.push(problemAt(source, at('maxAzs'), `${env.region} has ${known.length} availability zones (${known.join(', ')}); maxAzs ${vpc.maxAzs} asks for more`));
      }
    } else {
      vpc.availabilityZones.forEach((zone, i) => {
        if (!zone.startsWith(env.region)) problems.push(problemAt(source, at('availabilityZones', i), `zone ${zone} is not in region ${env.region}`));
        else if (known !== undefined && !known.includes(zone)) problems.push(problemAt(source, at('availabilityZones', i), `${env.region} has no zone ${zone}; it has ${known.join(', ')}`));
      });
      if (new Set(vpc.availabilityZones).size !== vpc.availabilityZones.length) problems.push(problemAt(source, at('availabilityZones'), 'a zone is listed twice'));
    }
    const zones = vpc.availabilityZones?.length ?? vpc.maxAzs;
    if (vpc.natGateways > zones) problems.push(problemAt(source, at('natGateways'), `${vpc.natGateways} NAT gateways need as many zones; the VPC has ${zones}`));
    return problems;
  });
