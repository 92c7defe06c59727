/**
 * The Cluster Autoscaler's AWS permissions, through EKS Pod Identity: it may change the size of
 * (and terminate instances in) only the Auto Scaling groups tagged as this cluster's
 * (`k8s.io/cluster-autoscaler/<cluster>: owned`, which EKS puts on every managed node group's
 * group), read node group labels and taints of this cluster (scale from zero), and describe what
 * it needs to plan. The chart is installed by the cluster layer (src/cluster/components/).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WORKLOADS } from '../common/names.js';
import { PodIdentityRole } from './pod-identity.js';

export interface ClusterAutoscalerIdentityProps {
  readonly cluster: eks.ICluster;
  /** Literal cluster name: the tag key the Auto Scaling groups carry. */
  readonly clusterName: string;
}

export class ClusterAutoscalerIdentity extends Construct {
  readonly identity: PodIdentityRole;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.identity = new PodIdentityRole(this, 'Identity', {
      cluster: props.cluster,
      workload: WORKLOADS.clusterAutoscaler,
      statements: [
        new iam.PolicyStatement({
          sid: 'ScaleOnlyThisClustersGroups',
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: ['*'],
          conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned' } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadThisClustersNodegroups',
          actions: ['eks:DescribeNodegroup'],
          resources: [stack.formatArn({ service: 'eks', resource: 'nodegroup', resourceName: `${props.clusterName}/*/*` })],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeForPlanning',
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          // Describe calls take no resource ARNs.
          resources: ['*'],
        }),
      ],
    });
    Validations.of(this.identity).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Auto Scaling and EC2 describe calls support no resource-level permissions; the two mutating actions are limited by the aws:ResourceTag condition to the groups of this cluster.',
    });
    Validations.of(this.identity).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:${stack.region}:${stack.account}:nodegroup/${props.clusterName}/*/*]`,
      reason: 'Node groups of this cluster only; their names end in a hash that changes when they are replaced.',
    });
  }
}
