/**
 * CIDRs as AWS takes them. One with host bits set (`10.10.5.7/16`) names no network: CDK would
 * silently use another range, EC2 would refuse it, so it is refused with the network meant. A VPC
 * prefix is /16 to /28.
 */
import type { UserInputError } from '../../common/errors.js';
import { problemAt, type ConfigCheck, type FieldPath } from './validator.js';

export interface Ipv4Network {
  readonly base: number;
  readonly prefix: number;
  readonly hostBitsSet: boolean;
}

const size = (prefix: number) => 2 ** (32 - prefix);
const formatAddress = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

/** The network a CIDR names, and whether host bits were set (`10.10.5.7/16` → base of `10.10.0.0/16`). */
export function networkOf(cidr: string): Ipv4Network {
  const [ip, prefixText] = cidr.split('/');
  const address = ip!.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const prefix = Number(prefixText);
  const base = address - (address % size(prefix));
  return { base, prefix, hostBitsSet: base !== address };
}

const formatNetwork = (network: Ipv4Network) => `${formatAddress(network.base)}/${network.prefix}`;

function hostBitsMessage(cidr: string, what: string): string | undefined {
  const network = networkOf(cidr);
  return network.hostBitsSet ? `${cidr} has host bits set, so it does not name a network; the ${what} ${formatNetwork(network)} contains it: write that (or the prefix you meant)` : undefined;
}

export const checkCidrs: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    const problems: UserInputError[] = [];
    const add = (path: FieldPath, message: string | undefined) => message !== undefined && problems.push(problemAt(source, path, message));
    const at = (...path: Array<string | number>): FieldPath => ['environments', index, ...path];
    if ('createVpc' in env.network) {
      const { cidr } = env.network.createVpc;
      add(at('network', 'createVpc', 'cidr'), hostBitsMessage(cidr, 'VPC range'));
      const { prefix } = networkOf(cidr);
      if (prefix < 16 || prefix > 28) add(at('network', 'createVpc', 'cidr'), `a VPC CIDR must be between /16 and /28 (got /${prefix})`);
    }
    const endpoint = env.endpointAccess;
    // Prefix and union limits of publicCidrs are the schema's (common/cidr.ts, shared with ADR15-EP-1).
    endpoint.publicCidrs.forEach((cidr, i) => add(at('endpointAccess', 'publicCidrs', i), hostBitsMessage(cidr, 'network')));
    endpoint.privateAccess.cidrs.forEach((cidr, i) => add(at('endpointAccess', 'privateAccess', 'cidrs', i), hostBitsMessage(cidr, 'network')));
    return problems;
  });
