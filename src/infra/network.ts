/**
 * The VPC an environment's cluster runs in: created (nodes in private subnets, no public IP
 * auto-assignment, flow logs to an encrypted log group) or imported from ids.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { defaultAvailabilityZones, SUBNET_GROUPS, type SubnetGroupModel, type VpcEndpointService } from '../config/index.js';
import { encryptedLogGroup } from './log-group.js';
import { flowLogsPrincipal } from './trust.js';

export interface BottlerocketVpcProps {
  /** @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** @default 3 */
  readonly maxAzs?: number;
  /** @default 1 */
  readonly natGateways?: number;
  /**
   * Availability zones to use. The stack must know them too (see `EnvironmentStack`), or CDK
   * looks them up in the account.
   *
   * @default - `defaultAvailabilityZones(stack.region, maxAzs)`
   */
  readonly availabilityZones?: readonly string[];
  /**
   * Subnet groups, one subnet of each per zone. The resolve pass checks the CIDR holds them.
   *
   * @default SUBNET_GROUPS: public /24 (NAT gateways only) and private-with-egress /19 for nodes
   */
  readonly subnetGroups?: readonly SubnetGroupModel[];
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * VPC endpoints for node subnets without internet egress: `s3` as a gateway endpoint, the others
   * as interface endpoints with private DNS, reachable on 443 from the VPC.
   *
   * @default - none
   */
  readonly vpcEndpoints?: readonly VpcEndpointService[];
}

const INTERFACE_ENDPOINTS: Readonly<Record<Exclude<VpcEndpointService, 's3'>, ec2.InterfaceVpcEndpointAwsService>> = {
  'ecr.api': ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  sts: ec2.InterfaceVpcEndpointAwsService.STS,
  ec2: ec2.InterfaceVpcEndpointAwsService.EC2,
  eks: ec2.InterfaceVpcEndpointAwsService.EKS,
  'eks-auth': ec2.InterfaceVpcEndpointAwsService.EKS_AUTH,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  // The Cluster Autoscaler resizes the node groups' Auto Scaling groups.
  autoscaling: ec2.InterfaceVpcEndpointAwsService.AUTOSCALING,
};

/** Construct id of an endpoint: `Endpoint-ecr-api`. */
const endpointId = (service: VpcEndpointService) => `Endpoint-${service.replace('.', '-')}`;

const SUBNET_TYPES: Readonly<Record<SubnetGroupModel['type'], ec2.SubnetType>> = {
  public: ec2.SubnetType.PUBLIC,
  'private-with-egress': ec2.SubnetType.PRIVATE_WITH_EGRESS,
};

export class BottlerocketVpc extends Construct {
  readonly vpc: ec2.Vpc;
  /** Customer-managed key encrypting the flow log group. */
  readonly logKey: kms.Key;
  readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BottlerocketVpcProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const maxAzs = props.maxAzs ?? 3;
    const availabilityZones = [...(props.availabilityZones ?? defaultAvailabilityZones(stack.region, maxAzs))];
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      availabilityZones,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: (props.subnetGroups ?? SUBNET_GROUPS).map((group) => ({
        name: group.name,
        subnetType: SUBNET_TYPES[group.type],
        cidrMask: group.cidrMask,
        // Nothing gets a public IP by default, not even in public subnets (ct ec2-pr-11).
        ...(group.type === 'public' ? { mapPublicIpOnLaunch: false } : {}),
      })),
    });
    const flowLogs = encryptedLogGroup(this, 'FlowLogs', {
      keyId: 'FlowLogKey',
      purpose: 'VPC flow log encryption',
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    this.logKey = flowLogs.key;
    this.flowLogGroup = flowLogs.logGroup;
    // L1 flow log with a customer-managed policy: the L2 adds an inline policy to its role.
    const flowLogRole = new iam.Role(this, 'FlowLogRole', { assumedBy: flowLogsPrincipal(this) });
    new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      roles: [flowLogRole],
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: [this.flowLogGroup.logGroupArn] }),
      ],
    });
    new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: this.vpc.vpcId,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: this.flowLogGroup.logGroupName,
      deliverLogsPermissionArn: flowLogRole.roleArn,
      maxAggregationInterval: 60,
    });
    const nodeSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    for (const service of props.vpcEndpoints ?? []) {
      if (service === 's3') this.vpc.addGatewayEndpoint(endpointId(service), { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [nodeSubnets] });
      else this.vpc.addInterfaceEndpoint(endpointId(service), { service: INTERFACE_ENDPOINTS[service], privateDnsEnabled: true, subnets: nodeSubnets });
    }
    Validations.of(this.vpc).acknowledge({
      id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      reason: 'Nothing uses the default security group (the cluster and nodes have their own); closing it would need a custom-resource Lambda, which this platform avoids.',
    });
    for (const subnet of this.vpc.publicSubnets) {
      Validations.of(subnet).acknowledge({
        id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason: 'Public subnets hold only the NAT gateways, which need the internet route; nodes and the API endpoint sit in private subnets.',
      });
    }
  }
}

export interface ExistingVpcProps {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
}

/** Import an existing VPC; its subnets are treated as private-with-egress, where nodes and the API ENIs go. */
export function importVpc(scope: Construct, id: string, props: ExistingVpcProps): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, id, {
    vpcId: props.vpcId,
    availabilityZones: [...props.availabilityZones],
    privateSubnetIds: [...props.privateSubnetIds],
  });
}
