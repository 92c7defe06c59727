/**
 * The resolved platform: the validated config plus everything derived from it (names, AMI types,
 * partitions, the Argo CD destination, the subnet plan). Renderers and gates read this model and
 * never derive or check input themselves; `resolvePlatform()` (`resolve/`) is the only producer,
 * so every input problem is reported there, with its position, before any work starts.
 *
 * Each model type extends its config type, so code that reads a config field reads it unchanged.
 */
import type { EnvironmentConfig, NodeGroupConfig, PlatformConfig } from './schema.js';

/** The managed node group AMI types of Bottlerocket (the EKS API's spelling). */
export type BottlerocketAmiType = 'BOTTLEROCKET_x86_64' | 'BOTTLEROCKET_ARM_64' | 'BOTTLEROCKET_x86_64_FIPS' | 'BOTTLEROCKET_ARM_64_FIPS';

export interface NodeGroupModel extends NodeGroupConfig {
  /** From `architecture` and `fips`. */
  readonly amiType: BottlerocketAmiType;
}

/** One subnet group of a created VPC, one subnet per availability zone. */
export interface SubnetGroupModel {
  readonly name: string;
  readonly type: 'public' | 'private-with-egress';
  /** Prefix length of each subnet. */
  readonly cidrMask: number;
}

/** The Argo CD prerequisites of an environment (only with `gitops.controller: argocd`). */
export interface ArgoCdModel {
  /** The repository the plain manifests are synced from. */
  readonly repository: NonNullable<PlatformConfig['gitops']['repository']>;
  /** Where the Applications deploy: the in-cluster URL, or the cluster ARN for the EKS capability. */
  readonly destinationServer: string;
  /** With `gitops.managedArgoCd`: the Identity Center instance of the EKS Argo CD capability. */
  readonly managedIdentityCenterInstanceArn?: string;
}

/** The Cluster Autoscaler setting with its default decided. */
export interface ClusterAutoscalerModel extends Omit<EnvironmentConfig['clusterAutoscaler'], 'enabled'> {
  /** `clusterAutoscaler.enabled`, or on when any node group can change size. */
  readonly enabled: boolean;
}

export interface EnvironmentModel extends Omit<EnvironmentConfig, 'nodeGroups' | 'clusterAutoscaler'> {
  /** Index in `environments` of the config file, for field paths. */
  readonly index: number;
  readonly nodeGroups: NodeGroupModel[];
  /** AWS partition of the region: `aws`, `aws-us-gov`, `aws-cn`, `aws-iso`, `aws-iso-b`. */
  readonly partition: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly stackName: string;
  /** Globally unique and known before deployment, so both layers name the same bucket (S3 limits checked). */
  readonly evidenceBucketName: string;
  /** The bucket receiving its server access logs; never longer than `evidenceBucketName`. */
  readonly accessLogBucketName: string;
  /** Zones the VPC uses, named so synthesis never looks them up. */
  readonly availabilityZones: readonly string[];
  /** With `createVpc`: the subnet groups; the CIDR was checked to hold them in every zone. */
  readonly subnetGroups: readonly SubnetGroupModel[];
  /** Repository name of `cis.image` (the collector's PolicyException matches it). */
  readonly cisImageRepository: string;
  readonly argoCd?: ArgoCdModel;
  readonly clusterAutoscaler: ClusterAutoscalerModel;
}

export interface PlatformModel extends Omit<PlatformConfig, 'environments'> {
  /** In config-file order. */
  readonly environments: EnvironmentModel[];
}
