/**
 * The IAM role of Bottlerocket worker nodes: only what the kubelet and image pulls need.
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
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'] as const;

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
    acknowledgeManagedPolicies(this.role, policies, 'EKS documents for managed node group nodes; AWS updates it as the service evolves');
  }
}
