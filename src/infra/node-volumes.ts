/**
 * Bottlerocket's two EBS volumes, encrypted with a customer-managed key, as launch-template block
 * device mappings. This stays inside the seal (ADR-15 "Shared responsibility model"): EKS still
 * picks the AMI from the AMI type and release and merges its own user data; the mappings only say
 * how the AMI's volumes are stored (eksctl does the same for Bottlerocket managed node groups).
 *
 * - `/dev/xvda`: the OS volume (dm-verity root). Its size is left to the AMI's snapshot.
 * - `/dev/xvdb`: the data volume (container images, ephemeral storage, logs); size, type, IOPS
 *   and throughput from config.
 */
import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { platformKey } from './kms.js';

export const BOTTLEROCKET_OS_DEVICE = '/dev/xvda';
export const BOTTLEROCKET_DATA_DEVICE = '/dev/xvdb';
/** The data volume size of the Bottlerocket AMIs. */
export const DEFAULT_DATA_VOLUME_GIB = 20;

export interface DataVolume {
  /** @default 20 (the AMI's) */
  readonly sizeGiB?: number;
  /** @default 'gp3' */
  readonly type?: 'gp3' | 'gp2' | 'io1' | 'io2';
  /** @default - the type's baseline */
  readonly iops?: number;
  /** gp3 only. @default - the type's baseline (125 MiB/s) */
  readonly throughputMiBps?: number;
}

/**
 * The key for every node volume of an environment. Instances of a managed node group are launched
 * by the Auto Scaling service-linked role, which must be able to use the key (and create grants
 * for the volumes it attaches), or instances fail to launch ("Client.InternalError").
 */
export function nodeVolumeKey(scope: Construct, id: string): kms.Key {
  const key = platformKey(scope, id, 'EBS volumes of the Bottlerocket nodes');
  const autoScaling = new iam.ArnPrincipal(
    Stack.of(scope).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowAutoScalingServiceLinkedRoleUse',
      principals: [autoScaling],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowAutoScalingServiceLinkedRoleGrantsForVolumes',
      principals: [autoScaling],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  );
  return key;
}

/** Block device mappings for both Bottlerocket volumes, encrypted with the key `keyArn`. */
export function bottlerocketBlockDeviceMappings(keyArn: string, data: DataVolume = {}): ec2.CfnLaunchTemplate.BlockDeviceMappingProperty[] {
  const encrypted = { encrypted: true, kmsKeyId: keyArn, deleteOnTermination: true };
  return [
    { deviceName: BOTTLEROCKET_OS_DEVICE, ebs: { ...encrypted, volumeType: 'gp3' } },
    {
      deviceName: BOTTLEROCKET_DATA_DEVICE,
      ebs: {
        ...encrypted,
        volumeType: data.type ?? 'gp3',
        volumeSize: data.sizeGiB ?? DEFAULT_DATA_VOLUME_GIB,
        ...(data.iops === undefined ? {} : { iops: data.iops }),
        ...(data.throughputMiBps === undefined ? {} : { throughput: data.throughputMiBps }),
      },
    },
  ];
}
