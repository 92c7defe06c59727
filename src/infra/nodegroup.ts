/**
 * A Bottlerocket EKS managed node group that keeps the seal intact (ADR-15 "Shared
 * responsibility model"): AWS picks the AMI from `amiType` + `releaseVersion`, and the launch
 * template carries only IMDS settings, detailed monitoring and the encrypted volumes' block
 * device mappings, never an ImageId or UserData. The launch template exists from day one because
 * a node group created without one can never gain one later.
 *
 * Day-2 changes: the node group's name ends in a hash of the properties CloudFormation can only
 * set at creation (`NODEGROUP_REPLACING_PROPERTIES`), so changing one (FIPS, an instance type,
 * capacity type, subnets) gives the replacement a new name: CloudFormation creates the new node
 * group, then deletes the old one, instead of refusing to replace a custom-named resource.
 */
import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CLUSTER_AUTOSCALER_TAG_PREFIX } from '../common/cluster-autoscaler.js';
import { UPDATER_INTERFACE_LABEL } from '../common/names.js';
import { bottlerocketAmiType, type NodeGroupConfig } from '../config/index.js';
import { bottlerocketBlockDeviceMappings, DEFAULT_DATA_VOLUME_GIB, type DataVolume } from './node-volumes.js';

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
  /**
   * Node group name, unique within the cluster. The physical name is `<nodegroupName>-<hash>`,
   * the hash taken over the create-only properties (see the file header).
   */
  readonly nodegroupName: string;
  /** Customer-managed key of the OS and data volumes; see `nodeVolumeKey()`. */
  readonly volumeKey: kms.IKey;
  /** @default - 20 GiB gp3 */
  readonly dataVolume?: DataVolume;
  /**
   * How many nodes may be unavailable during an update: a count or `{ percentage }`.
   *
   * @default 1
   */
  readonly maxUnavailable?: number | { readonly percentage: number };
  /**
   * EKS node auto repair.
   *
   * @default true
   */
  readonly autoRepair?: boolean;
  /**
   * Tag the node group for the Cluster Autoscaler's scale-from-zero planning (`autoscalerTags()`).
   *
   * @default false
   */
  readonly autoscaled?: boolean;
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
 * the instance profile), detailed monitoring (Control Tower ec2-pr-10) and the encrypted volumes.
 */
export function sealedLaunchTemplateData(volumeKeyArn: string, dataVolume?: DataVolume): ec2.CfnLaunchTemplate.LaunchTemplateDataProperty {
  return {
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
    monitoring: { enabled: true },
    blockDeviceMappings: bottlerocketBlockDeviceMappings(volumeKeyArn, dataVolume),
  };
}

/**
 * The `AWS::EKS::Nodegroup` properties whose change makes CloudFormation replace the node group
 * (its resource schema's create-only properties, apart from the cluster and the name itself; a
 * test compares this list with the schema shipped in the aws-cdk CLI).
 */
export const NODEGROUP_REPLACING_PROPERTIES = ['AmiType', 'CapacityType', 'DiskSize', 'InstanceTypes', 'NodeRole', 'RemoteAccess', 'Subnets'] as const;

/** `<name>-<8 hex>`: the hash of the create-only property values as CloudFormation will see them. */
export function nodegroupPhysicalName(name: string, resolvedCreateOnly: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(NODEGROUP_REPLACING_PROPERTIES.map((key) => [key, resolvedCreateOnly[key] ?? null]));
  return `${name}-${createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}

/**
 * The node group tags the Cluster Autoscaler reads (through eks:DescribeNodegroup) to plan a scale-up
 * from zero nodes: the resources a node has beyond the CPU and memory of its instance type, here
 * Bottlerocket's data volume, which holds the pods' ephemeral storage (without it, a pod requesting
 * ephemeral storage never makes an empty group grow). Labels and taints it reads from the node
 * group's own labels and taints in the same call, so they need no tags; node group tags never reach
 * the Auto Scaling group, whose discovery tags EKS sets itself.
 */
export function autoscalerTags(dataVolume: DataVolume | undefined): Record<string, string> {
  return { [`${CLUSTER_AUTOSCALER_TAG_PREFIX}/node-template/resources/ephemeral-storage`]: `${dataVolume?.sizeGiB ?? DEFAULT_DATA_VOLUME_GIB}Gi` };
}

/**
 * The L1 node group on purpose: the L2 `Nodegroup` of aws-cdk-lib 2.276 refuses the FIPS
 * Bottlerocket AMI types, and the seal leaves nothing for the L2 to add.
 */
export class BottlerocketNodegroup extends Construct {
  readonly nodegroup: eks.CfnNodegroup;
  readonly launchTemplate: ec2.CfnLaunchTemplate;
  readonly amiType: eks.NodegroupAmiType;
  /** Physical name: the configured name and the hash of the create-only properties. */
  readonly nodegroupName: string;

  constructor(scope: Construct, id: string, props: BottlerocketNodegroupProps) {
    super(scope, id);
    // The resolve pass computed the same value for the model (and checked the instance types' architecture).
    this.amiType = bottlerocketAmiType(props.architecture ?? 'x86_64', props.fips ?? false) as eks.NodegroupAmiType;
    // L1 on purpose: the L2 LaunchTemplate adds data of its own, and the seal allows none.
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', { launchTemplateData: sealedLaunchTemplateData(props.volumeKey.keyArn, props.dataVolume) });
    const createOnly = {
      AmiType: this.amiType,
      CapacityType: props.capacityType ?? 'ON_DEMAND',
      InstanceTypes: [...props.instanceTypes],
      NodeRole: props.nodeRole.roleArn,
      Subnets: props.cluster.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
    };
    this.nodegroupName = nodegroupPhysicalName(props.nodegroupName, Stack.of(this).resolve(createOnly) as Record<string, unknown>);
    const labels = { ...props.labels, [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value };
    const maxUnavailable = props.maxUnavailable ?? 1;
    this.nodegroup = new eks.CfnNodegroup(this, 'Nodegroup', {
      clusterName: props.cluster.clusterName,
      nodegroupName: this.nodegroupName,
      nodeRole: createOnly.NodeRole,
      subnets: createOnly.Subnets,
      amiType: createOnly.AmiType,
      releaseVersion: props.releaseVersion,
      version: props.kubernetesVersion,
      instanceTypes: createOnly.InstanceTypes,
      capacityType: createOnly.CapacityType,
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: typeof maxUnavailable === 'number' ? { maxUnavailable } : { maxUnavailablePercentage: maxUnavailable.percentage },
      nodeRepairConfig: { enabled: props.autoRepair ?? true },
      labels,
      taints: (props.taints ?? []).map((taint) => ({ key: taint.key, value: taint.value, effect: TAINT_EFFECTS[taint.effect] })),
      launchTemplate: { id: this.launchTemplate.ref, version: this.launchTemplate.attrLatestVersionNumber },
      ...(props.autoscaled === true ? { tags: autoscalerTags(props.dataVolume) } : {}),
    });
  }
}
