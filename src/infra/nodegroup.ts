/**
 * A Bottlerocket EKS managed node group that keeps the seal intact (ADR-15 "Shared
 * responsibility model"): AWS picks the AMI from `amiType` + `releaseVersion`, and the launch
 * template carries only IMDS settings and detailed monitoring, never an ImageId or UserData.
 * The launch template exists from day one because a node group created without one can never
 * gain one later.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { UPDATER_INTERFACE_LABEL } from '../common/names.js';
import { bottlerocketAmiType, type NodeGroupConfig } from '../config/index.js';

export type NodeArchitecture = NodeGroupConfig['architecture'];

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface BottlerocketNodegroupProps {
  readonly cluster: eks.ICluster;
  /** Node role; see `BottlerocketNodeRole`. */
  readonly nodeRole: iam.IRole;
  /** Node group name, unique within the cluster. */
  readonly nodegroupName: string;
  /** @default 'x86_64' */
  readonly architecture?: NodeArchitecture;
  /** Use the FIPS Bottlerocket variant. @default false */
  readonly fips?: boolean;
  /** EC2 instance types of `architecture` (the resolve pass checks this for platform.yaml). */
  readonly instanceTypes: readonly string[];
  /** @default 'ON_DEMAND' */
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Pinned Bottlerocket release, `<version>-<build>`, e.g. `1.47.0-6154605b`. */
  readonly releaseVersion: string;
  /**
   * Kubernetes minor version of the nodes. Sent together with `releaseVersion` so that a variant
   * upgrade (new Kubernetes minor) and its release reach EKS in one node group update.
   *
   * @default - the cluster's version, decided by EKS at creation
   */
  readonly kubernetesVersion?: string;
  /**
   * Extra node labels. The updater-interface label brupop needs is always added.
   *
   * @default - only the updater-interface label
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - no taints */
  readonly taints?: readonly NodeTaint[];
  /** @default - the cluster's private subnets */
  readonly subnets?: ec2.SubnetSelection;
}

/** Kubernetes spelling → EKS API spelling. */
const TAINT_EFFECTS = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

/**
 * The only launch template data the platform sets: IMDSv2 with hop limit 1 (pods cannot reach
 * the instance profile) and detailed monitoring (Control Tower ec2-pr-10).
 */
export function sealedLaunchTemplateData(): ec2.CfnLaunchTemplate.LaunchTemplateDataProperty {
  return {
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
    monitoring: { enabled: true },
  };
}

/**
 * The L1 node group on purpose: the L2 `Nodegroup` of aws-cdk-lib 2.276 refuses the FIPS
 * Bottlerocket AMI types, and the seal leaves nothing for the L2 to add.
 */
export class BottlerocketNodegroup extends Construct {
  readonly nodegroup: eks.CfnNodegroup;
  readonly launchTemplate: ec2.CfnLaunchTemplate;
  readonly amiType: eks.NodegroupAmiType;

  constructor(scope: Construct, id: string, props: BottlerocketNodegroupProps) {
    super(scope, id);
    // The resolve pass computed the same value for the model (and checked the instance types' architecture).
    this.amiType = bottlerocketAmiType(props.architecture ?? 'x86_64', props.fips ?? false) as eks.NodegroupAmiType;
    // L1 on purpose: the L2 LaunchTemplate adds data of its own, and the seal allows none.
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', { launchTemplateData: sealedLaunchTemplateData() });
    this.nodegroup = new eks.CfnNodegroup(this, 'Nodegroup', {
      clusterName: props.cluster.clusterName,
      nodegroupName: props.nodegroupName,
      nodeRole: props.nodeRole.roleArn,
      subnets: props.cluster.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      amiType: this.amiType,
      releaseVersion: props.releaseVersion,
      version: props.kubernetesVersion,
      instanceTypes: [...props.instanceTypes],
      capacityType: props.capacityType ?? 'ON_DEMAND',
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      labels: { ...props.labels, [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value },
      taints: (props.taints ?? []).map((taint) => ({ key: taint.key, value: taint.value, effect: TAINT_EFFECTS[taint.effect] })),
      launchTemplate: { id: this.launchTemplate.ref, version: this.launchTemplate.attrLatestVersionNumber },
    });
  }
}
