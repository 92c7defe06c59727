/**
 * What AWS would refuse at deploy time, refused by `config validate` instead, each with
 * `file:line:col`: S3/EKS/CloudFormation name limits, availability zones the region has (offline
 * table), ARNs in the environment's partition, CIDRs without host bits, a VPC CIDR that holds its
 * subnets, public endpoint CIDRs that do not add up to the internet, EBS performance ratios, and
 * an admin for every cluster (ADR15-ACCESS-1: the creator gets no access).
 *
 * Each check is a pure function of the parsed config; `awsAcceptanceProblems` positions them.
 */
import { arnPartition, partitionOf, regionFacts, zoneNames } from '../common/aws-regions.js';
import { UserInputError } from '../common/errors.js';
import { clusterName, evidenceBucketName, stackName } from '../common/names.js';
import { SUBNET_LAYOUT } from '../common/network-layout.js';
import { formatFieldPath, positionOf, type YamlSource } from '../common/yaml-source.js';
import type { EnvironmentConfig, PlatformConfig } from './schema.js';

type FieldPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  readonly path: FieldPath;
  readonly message: string;
  readonly rule?: string;
}

/** Rule id of "every environment names a cluster admin" (src/gates/adr-catalogue.ts `clusterAdmin`). */
const ADMIN_RULE = 'ADR15-ACCESS-1';

// ---- IPv4 arithmetic -------------------------------------------------------------------------

interface Ipv4Network {
  readonly base: number;
  readonly prefix: number;
}

function parseCidr(cidr: string): { address: number; prefix: number } {
  const [ip, prefix] = cidr.split('/');
  const address = ip!.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  return { address, prefix: Number(prefix) };
}

const size = (prefix: number) => 2 ** (32 - prefix);
const formatAddress = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

/** The network a CIDR names, and whether host bits were set (`10.10.5.7/16` → `10.10.0.0/16`). */
export function networkOf(cidr: string): Ipv4Network & { hostBitsSet: boolean } {
  const { address, prefix } = parseCidr(cidr);
  const base = address - (address % size(prefix));
  return { base, prefix, hostBitsSet: base !== address };
}

const formatNetwork = (network: Ipv4Network) => `${formatAddress(network.base)}/${network.prefix}`;

/** Whether the union of the CIDRs is all of IPv4 (e.g. 0.0.0.0/1 + 128.0.0.0/1). */
export function coversAllIpv4(cidrs: readonly string[]): boolean {
  const ranges = cidrs.map(networkOf).map((n) => [n.base, n.base + size(n.prefix)] as const).sort((a, b) => a[0] - b[0]);
  let reached = 0;
  for (const [start, end] of ranges) {
    if (start > reached) return false;
    reached = Math.max(reached, end);
  }
  return reached >= 2 ** 32;
}

/**
 * The smallest prefix length a VPC CIDR needs for `zones` copies of SUBNET_LAYOUT, allocated the
 * way CDK's `IpAddresses.cidr()` does: in layout order, each subnet at the next boundary of its size.
 */
export function subnetsFit(vpcCidr: string, zones: number): boolean {
  const vpc = networkOf(vpcCidr);
  let next = 0;
  for (const subnet of SUBNET_LAYOUT) {
    const block = size(subnet.cidrMask);
    for (let zone = 0; zone < zones; zone++) {
      next = Math.ceil(next / block) * block + block;
    }
  }
  return next <= size(vpc.prefix);
}

// ---- checks --------------------------------------------------------------------------------

function hostBits(path: FieldPath, cidr: string, what: string): ConfigProblem[] {
  const network = networkOf(cidr);
  if (!network.hostBitsSet) return [];
  return [{ path, message: `${cidr} has host bits set, so it does not name a network; the ${what} ${formatNetwork(network)} contains it: write that (or the prefix you meant)` }];
}

function partitionProblems(path: FieldPath, arn: string, env: EnvironmentConfig): ConfigProblem[] {
  const expected = partitionOf(env.region);
  const actual = arnPartition(arn);
  if (actual === expected) return [];
  return [{ path, message: `${arn} is in partition ${actual ?? '(none)'}, but environment ${env.name} is in ${env.region} (partition ${expected}); use arn:${expected}:...` }];
}

function environmentProblems(platform: PlatformConfig, env: EnvironmentConfig, index: number): ConfigProblem[] {
  const at = (...path: Array<string | number>): FieldPath => ['environments', index, ...path];
  const problems: ConfigProblem[] = [];

  const bucket = evidenceBucketName(platform, env);
  if (bucket.length > 63) {
    problems.push({ path: at('name'), message: `the evidence bucket name ${bucket} is ${bucket.length} characters; S3 allows 63: shorten \`project\` or the environment name` });
  }
  const cluster = clusterName(platform, env);
  if (cluster.length > 100) problems.push({ path: at('name'), message: `the cluster name ${cluster} is over EKS's 100 characters` });
  const stack = stackName(platform, env);
  if (stack.length > 128) problems.push({ path: at('name'), message: `the stack name ${stack} is over CloudFormation's 128 characters` });

  if (env.access.clusterAdminRoleArns.length === 0) {
    problems.push({
      path: at('access'),
      rule: ADMIN_RULE,
      message: `environment ${env.name} has no cluster admin, and the cluster creator gets none: add \`access.clusterAdminRoleArns: [arn:${partitionOf(env.region)}:iam::${env.account}:role/<admin role>]\``,
    });
  }
  env.access.clusterAdminRoleArns.forEach((arn, i) => problems.push(...partitionProblems(at('access', 'clusterAdminRoleArns', i), arn, env)));
  env.access.entries.forEach((entry, i) => problems.push(...partitionProblems(at('access', 'entries', i, 'principalArn'), entry.principalArn, env)));

  if ('createVpc' in env.network) {
    const vpc = env.network.createVpc;
    const facts = regionFacts(env.region);
    const zones = vpc.availabilityZones ?? [];
    problems.push(...hostBits(at('network', 'createVpc', 'cidr'), vpc.cidr, 'VPC range'));
    const prefix = networkOf(vpc.cidr).prefix;
    if (prefix < 16 || prefix > 28) problems.push({ path: at('network', 'createVpc', 'cidr'), message: `a VPC CIDR must be between /16 and /28 (got /${prefix})` });
    if (vpc.availabilityZones === undefined) {
      if (facts === undefined) {
        problems.push({ path: at('region'), message: `region ${env.region} is not in the offline zone table; name the zones in \`network.createVpc.availabilityZones\`` });
      } else if (zoneNames(env.region) === undefined) {
        problems.push({ path: at('network', 'createVpc'), message: `${env.region}'s zone letters differ between accounts; name yours in \`network.createVpc.availabilityZones\`` });
      } else if (vpc.maxAzs > facts.zoneCount) {
        problems.push({ path: at('network', 'createVpc', 'maxAzs'), message: `${env.region} has ${facts.zoneCount} availability zones (${zoneNames(env.region)!.join(', ')}); maxAzs ${vpc.maxAzs} asks for more` });
      }
    } else {
      const known = zoneNames(env.region);
      zones.forEach((zone, i) => {
        const path = at('network', 'createVpc', 'availabilityZones', i);
        if (!zone.startsWith(env.region)) problems.push({ path, message: `zone ${zone} is not in region ${env.region}` });
        else if (known !== undefined && !known.includes(zone)) problems.push({ path, message: `${env.region} has no zone ${zone}; it has ${known.join(', ')}` });
      });
      if (new Set(zones).size !== zones.length) problems.push({ path: at('network', 'createVpc', 'availabilityZones'), message: 'a zone is listed twice' });
    }
    const zoneCount = vpc.availabilityZones?.length ?? vpc.maxAzs;
    if (vpc.natGateways > zoneCount) problems.push({ path: at('network', 'createVpc', 'natGateways'), message: `${vpc.natGateways} NAT gateways need as many zones; the VPC has ${zoneCount}` });
    if (!networkOf(vpc.cidr).hostBitsSet && prefix >= 16 && !subnetsFit(vpc.cidr, zoneCount)) {
      const layout = SUBNET_LAYOUT.map((subnet) => `a /${subnet.cidrMask} ${subnet.name} subnet`).join(' and ');
      problems.push({ path: at('network', 'createVpc', 'cidr'), message: `${vpc.cidr} cannot hold ${layout} in each of ${zoneCount} zones; use a /16` });
    }
  }

  const endpoint = env.endpointAccess;
  endpoint.publicCidrs.forEach((cidr, i) => {
    const path = at('endpointAccess', 'publicCidrs', i);
    problems.push(...hostBits(path, cidr, 'network'));
    const prefix = networkOf(cidr).prefix;
    if (prefix < endpoint.minimumPublicPrefix) {
      problems.push({ path, message: `${cidr} is larger than a /${endpoint.minimumPublicPrefix} (endpointAccess.minimumPublicPrefix); list the networks that need the API` });
    }
  });
  if (endpoint.publicCidrs.length > 0 && coversAllIpv4(endpoint.publicCidrs)) {
    problems.push({ path: at('endpointAccess', 'publicCidrs'), message: 'together these CIDRs cover all of IPv4: the whole internet could reach the cluster API' });
  }
  endpoint.privateAccess.cidrs.forEach((cidr, i) => problems.push(...hostBits(at('endpointAccess', 'privateAccess', 'cidrs', i), cidr, 'network')));

  env.nodeGroups.forEach((group, g) => {
    const volume = group.dataVolume;
    const path = (field: string) => at('nodeGroups', g, 'dataVolume', field);
    const iopsPerGiB = { gp3: 500, io1: 50, io2: 1000, gp2: Infinity }[volume.type];
    if (volume.iops !== undefined && volume.iops > iopsPerGiB * volume.sizeGiB) {
      problems.push({ path: path('iops'), message: `${volume.type} allows at most ${iopsPerGiB} IOPS per GiB: ${volume.sizeGiB} GiB takes at most ${iopsPerGiB * volume.sizeGiB}` });
    }
    if (volume.type === 'gp3' && volume.throughputMiBps !== undefined && volume.throughputMiBps > (volume.iops ?? 3000) / 4) {
      problems.push({ path: path('throughputMiBps'), message: `gp3 throughput is at most 0.25 MiB/s per IOPS: ${volume.iops ?? 3000} IOPS allow ${(volume.iops ?? 3000) / 4} MiB/s; raise \`iops\`` });
    }
  });

  return problems;
}

/** Every problem of a parsed config that AWS would refuse at deploy time. */
export function awsAcceptanceChecks(platform: PlatformConfig): ConfigProblem[] {
  const problems = platform.environments.flatMap((env, index) => environmentProblems(platform, env, index));
  const identityCenter = platform.gitops.identityCenterInstanceArn;
  if (platform.gitops.managedArgoCd && identityCenter !== undefined) {
    // Every environment's capability signs in through this one instance.
    const mismatch = platform.environments.flatMap((env) => partitionProblems(['gitops', 'identityCenterInstanceArn'], identityCenter, env));
    problems.push(...mismatch.slice(0, 1));
  }
  return problems;
}

/** The problems as positioned errors. */
export function awsAcceptanceProblems(platform: PlatformConfig, source: YamlSource): UserInputError[] {
  return awsAcceptanceChecks(platform).map(
    (problem) => new UserInputError(problem.message, { position: positionOf(source, problem.path), field: formatFieldPath(problem.path), ...(problem.rule ? { rule: problem.rule } : {}) }),
  );
}
