/**
 * The subnets a created VPC gets in each of its zones, in allocation order. Shared by the VPC
 * construct (src/infra/network.ts) and `config validate`, which checks the VPC CIDR can hold them.
 */
export const SUBNET_LAYOUT = [
  // Public subnets hold only NAT gateways and load balancers.
  { name: 'public', kind: 'public', cidrMask: 24 },
  { name: 'nodes', kind: 'private', cidrMask: 19 },
] as const;
