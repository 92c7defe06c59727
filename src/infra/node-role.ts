/**
 * The IAM role of Bottlerocket worker nodes: only what the kubelet and image pulls need
 * (AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly).
 * No AmazonSSMManagedInstanceCore, so the control host container cannot register with SSM and
 * nobody reaches the admin container (ADR-15 "Bottlerocket": SSM stays off).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeManagedPolicies } from './acknowledge.js';

export interface BottlerocketNodeRoleProps {
  /**
   * Whether the vpc-cni add-on gets its permissions through EKS Pod Identity. When false, the
   * node role carries AmazonEKS_CNI_Policy instead (the classic, broader setup).
   *
   * @default true
   */
  readonly vpcCniOnPodIdentity?: boolean;
}

/** AWS-managed policies a Bottlerocket managed node needs; anything else belongs to pods. */
// AmazonEC2ContainerRegistryPullOnly (not ReadOnly): current EKS guidance for nodes, which only pull.
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

/** Why each AWS-managed node policy is accepted (AwsSolutions-IAM4), as EKS's node IAM role guide states it. */
const NODE_POLICY_REASONS: Readonly<Record<string, string>> = {
  AmazonEKSWorkerNodePolicy: 'the EKS node IAM role guide requires for every node: describe EC2 and the cluster, and EKS Pod Identity (eks-auth:AssumeRoleForPodIdentity)',
  AmazonEC2ContainerRegistryPullOnly: 'the EKS node IAM role guide names for pulling images: ecr:GetAuthorizationToken, BatchGetImage and GetDownloadUrlForLayer only, narrower than ReadOnly',
  AmazonEKS_CNI_Policy: 'EKS documents for the VPC CNI; only when vpc-cni does not use Pod Identity (vpcCniOnPodIdentity: false)',
};

export class BottlerocketNodeRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BottlerocketNodeRoleProps = {}) {
    super(scope, id);
    const policies: string[] = [...NODE_MANAGED_POLICIES];
    if (props.vpcCniOnPodIdentity === false) policies.push('AmazonEKS_CNI_Policy');
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Bottlerocket EKS worker nodes (no SSM: ADR-15)',
      // fromAwsManagedPolicyName renders arn:${AWS::Partition}:..., so GovCloud works.
      managedPolicies: policies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of policies) acknowledgeManagedPolicies(this.role, [name], NODE_POLICY_REASONS[name]!);
  }
}
