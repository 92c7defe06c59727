/**
 * The EKS managed Argo CD capability (`AWS::EKS::Capability`, type ARGOCD): AWS runs Argo CD for
 * the cluster, users sign in through IAM Identity Center. The L1 `CfnCapability` exists in
 * aws-cdk-lib 2.276 (`aws-eks-v2`), so no raw CfnResource is needed.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ArgoCdCapabilityProps {
  readonly cluster: eks.ICluster;
  /** IAM Identity Center instance ARN users sign in with. */
  readonly identityCenterInstanceArn: string;
  /** @default 'argocd' */
  readonly namespace?: string;
}

export class ArgoCdCapability extends Construct {
  readonly capability: eks.CfnCapability;
  /** Role the capability assumes; grant it what Argo CD must reach in AWS (none by default). */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArgoCdCapabilityProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('capabilities.eks.amazonaws.com').withSessionTags(),
      description: 'EKS managed Argo CD capability',
    });
    this.capability = new eks.CfnCapability(this, 'Capability', {
      capabilityName: 'argocd',
      clusterName: props.cluster.clusterName,
      type: 'ARGOCD',
      roleArn: this.role.roleArn,
      // The only value EKS supports: deleting the capability leaves the applications it deployed running.
      deletePropagationPolicy: 'RETAIN',
      configuration: { argoCd: { awsIdc: { idcInstanceArn: props.identityCenterInstanceArn }, namespace: props.namespace ?? 'argocd' } },
    });
  }
}
