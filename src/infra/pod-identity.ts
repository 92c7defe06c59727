/**
 * An IAM role bound to one Kubernetes service account through EKS Pod Identity. Pods get AWS
 * credentials from the Pod Identity agent, never from the node role or IMDS (ADR-15 "Shared
 * concerns": hop limit 1 keeps pods away from the instance profile).
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { WorkloadIdentity } from '../common/names.js';
import { acknowledgeManagedPolicies } from './acknowledge.js';

export interface PodIdentityRoleProps {
  /** Cluster the association is created in. */
  readonly cluster: eks.ICluster;
  /** Namespace and service account that may assume the role. */
  readonly workload: WorkloadIdentity;
  /**
   * AWS-managed policies the workload needs (e.g. `AmazonEKS_CNI_Policy`).
   *
   * @default - none; grant with `role.addToPolicy` or a resource's `grant*` method.
   */
  readonly managedPolicies?: readonly string[];
  /**
   * Permissions of the workload, attached as one customer-managed policy (no inline policy).
   *
   * @default - none
   */
  readonly statements?: readonly iam.PolicyStatement[];
}

/**
 * The trust EKS Pod Identity requires (the pods service principal may assume and tag the
 * session), limited by the session tags Pod Identity sets to this cluster, namespace and service
 * account: without them any Pod Identity association in the account could take the role.
 */
export function podIdentityPrincipal(cluster: eks.ICluster, workload: WorkloadIdentity): iam.IPrincipal {
  return new iam.ServicePrincipal('pods.eks.amazonaws.com', {
    conditions: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-arn': cluster.clusterArn,
        'aws:RequestTag/kubernetes-namespace': workload.namespace,
        'aws:RequestTag/kubernetes-service-account': workload.serviceAccount,
      },
    },
  }).withSessionTags();
}

export class PodIdentityRole extends Construct {
  /** The role pods of `workload` receive. */
  readonly role: iam.Role;
  /** The `AWS::EKS::PodIdentityAssociation` binding `role` to the service account. */
  readonly association: eks.CfnPodIdentityAssociation;
  /** The customer-managed policy holding `statements`, when there are any. */
  readonly policy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: podIdentityPrincipal(props.cluster, props.workload),
      description: `EKS Pod Identity role of ${props.workload.namespace}/${props.workload.serviceAccount}`,
      managedPolicies: (props.managedPolicies ?? []).map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    if (props.managedPolicies?.length) {
      acknowledgeManagedPolicies(this.role, props.managedPolicies, `EKS documents for the ${props.workload.serviceAccount} service account of its managed add-on`);
    }
    if (props.statements?.length) {
      this.policy = new iam.ManagedPolicy(this, 'Policy', { statements: [...props.statements], roles: [this.role] });
    }
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName,
      namespace: props.workload.namespace,
      serviceAccount: props.workload.serviceAccount,
      roleArn: this.role.roleArn,
    });
  }
}
