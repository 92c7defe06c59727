/**
 * The EKS managed Argo CD capability (`AWS::EKS::Capability`, type ARGOCD): AWS runs Argo CD for
 * the cluster, users sign in through IAM Identity Center. The L1 `CfnCapability` exists in
 * aws-cdk-lib 2.276 (`aws-eks-v2`), so no raw CfnResource is needed.
 *
 * Who may use Argo CD comes from config as the capability's RBAC role mappings (Argo CD role →
 * Identity Center users and groups). What Argo CD may deploy is the access policy on the access
 * entry EKS creates for the capability role; CloudFormation cannot add a policy to an entry it did
 * not create (a second AWS::EKS::AccessEntry for the same principal would collide), and the
 * platform runs no custom-resource Lambda, so `associateAccessPolicyCommand` is the one-time
 * command, printed as a stack output.
 */
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ArgoCdCapabilityProps {
  readonly cluster: eks.ICluster;
  /** Literal cluster name, for the printed command. */
  readonly clusterName: string;
  /** IAM Identity Center instance ARN users sign in with. */
  readonly identityCenterInstanceArn: string;
  /** @default 'argocd' */
  readonly namespace?: string;
  /** Argo CD role → Identity Center identities. @default - none: nobody can sign in until mapped */
  readonly roleMappings?: ReadonlyArray<{ readonly role: 'ADMIN' | 'EDITOR' | 'VIEWER'; readonly identities: ReadonlyArray<{ readonly id: string; readonly type: 'SSO_USER' | 'SSO_GROUP' }> }>;
  /**
   * EKS access policy the capability role needs on this cluster to deploy the cluster layer.
   *
   * @default - AmazonEKSClusterAdminPolicy, cluster-wide (the layer installs CRDs and cluster roles)
   */
  readonly deployAccess?: { readonly policyName: string; readonly namespaces?: readonly string[] };
}

export class ArgoCdCapability extends Construct {
  readonly capability: eks.CfnCapability;
  /** Role the capability assumes; grant it what Argo CD must reach in AWS (none by default). */
  readonly role: iam.Role;
  /** The one-time `aws eks associate-access-policy` call that lets Argo CD deploy (a token string). */
  readonly associateAccessPolicyCommand: string;

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
      configuration: {
        argoCd: {
          awsIdc: { idcInstanceArn: props.identityCenterInstanceArn },
          namespace: props.namespace ?? 'argocd',
          ...(props.roleMappings?.length
            ? { rbacRoleMappings: props.roleMappings.map((mapping) => ({ role: mapping.role, identities: mapping.identities.map((identity) => ({ ...identity })) })) }
            : {}),
        },
      },
    });
    const access = props.deployAccess ?? { policyName: 'AmazonEKSClusterAdminPolicy' };
    const accessScope = access.namespaces?.length ? `type=namespace,namespaces=${access.namespaces.join(',')}` : 'type=cluster';
    const stack = Stack.of(this);
    this.associateAccessPolicyCommand = [
      `aws eks associate-access-policy --region ${stack.region} --cluster-name ${props.clusterName}`,
      `--principal-arn ${this.role.roleArn}`,
      `--policy-arn arn:${stack.partition}:eks::aws:cluster-access-policy/${access.policyName} --access-scope ${accessScope}`,
    ].join(' ');
  }
}
