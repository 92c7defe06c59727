/**
 * An EKS cluster on `aws-eks-v2` with ADR-15's control-plane defaults: private API endpoint,
 * secrets encrypted with a customer-managed KMS key, every control-plane log type, access
 * entries (authentication mode API), and the managed add-ons with their AWS permissions through
 * EKS Pod Identity rather than the node role. No kubectl Lambda: nothing here needs one.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { WORKLOADS } from '../common/names.js';
import { acknowledgeManagedPolicies } from './acknowledge.js';
import { platformKey } from './kms.js';
import { PodIdentityRole } from './pod-identity.js';

export interface BottlerocketClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  readonly vpc: ec2.IVpc;
  /**
   * CIDRs allowed to reach a public API endpoint. Empty keeps the endpoint private; a
   * non-empty list makes it public-and-private, restricted to these CIDRs.
   *
   * @default - private endpoint only
   */
  readonly publicCidrs?: readonly string[];
  /**
   * IAM role ARNs granted AmazonEKSClusterAdminPolicy through access entries.
   *
   * @default - none besides the cluster creator
   */
  readonly clusterAdminRoleArns?: readonly string[];
}

/** Managed add-ons the platform installs; the CNI and CSI driver get Pod Identity roles. */
export const MANAGED_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver'] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

export class BottlerocketCluster extends Construct {
  readonly cluster: eks.Cluster;
  /** Customer-managed key (rotation on) that envelope-encrypts Kubernetes secrets. */
  readonly secretsKey: kms.Key;
  readonly addons: Readonly<Record<ManagedAddonName, eks.Addon>>;
  /** The add-ons nodes need before they can become Ready (networking). */
  readonly networkingAddons: readonly eks.Addon[];
  /** The add-ons whose pods need running nodes. */
  readonly workloadAddons: readonly eks.Addon[];

  constructor(scope: Construct, id: string, props: BottlerocketClusterProps) {
    super(scope, id);
    const publicCidrs = [...(props.publicCidrs ?? [])];
    this.secretsKey = platformKey(this, 'SecretsKey', `EKS secrets envelope encryption for ${props.clusterName}`);
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.kubernetesVersion),
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: publicCidrs.length > 0 ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...publicCidrs) : eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: Object.values(eks.ClusterLoggingTypes),
      // Capacity comes from BottlerocketNodegroup only; no Auto Mode, no default node group.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // The managed add-ons below replace the self-managed ones EKS would otherwise bootstrap.
      bootstrapSelfManagedAddons: false,
      outputConfigCommand: false,
    });
    acknowledgeManagedPolicies(this.cluster.role, ['AmazonEKSClusterPolicy'], 'EKS requires for the cluster service role');
    (props.clusterAdminRoleArns ?? []).forEach((arn, index) => {
      this.cluster.grantAccess(`ClusterAdmin${index}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ]);
    });
    const podIdentityAgent = this.cluster.eksPodIdentityAgent;

    const addon = (addonName: ManagedAddonName, constructId: string) => new eks.Addon(this, constructId, { cluster: this.cluster, addonName });
    const addons = {
      'vpc-cni': addon('vpc-cni', 'VpcCni'),
      'kube-proxy': addon('kube-proxy', 'KubeProxy'),
      coredns: addon('coredns', 'CoreDns'),
      'aws-ebs-csi-driver': addon('aws-ebs-csi-driver', 'EbsCsiDriver'),
    };
    this.addons = addons;
    this.networkingAddons = [addons['vpc-cni'], addons['kube-proxy']];
    this.workloadAddons = [addons.coredns, addons['aws-ebs-csi-driver']];

    const cni = new PodIdentityRole(this, 'VpcCniIdentity', {
      cluster: this.cluster,
      workload: WORKLOADS.vpcCni,
      managedPolicies: ['AmazonEKS_CNI_Policy'],
    });
    const ebs = new PodIdentityRole(this, 'EbsCsiIdentity', {
      cluster: this.cluster,
      workload: WORKLOADS.ebsCsiController,
      managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'],
    });
    // Credentials must be resolvable when the add-on pods start.
    for (const identity of [cni, ebs]) {
      if (podIdentityAgent) identity.association.node.addDependency(podIdentityAgent);
    }
    addons['vpc-cni'].node.addDependency(cni.association);
    addons['aws-ebs-csi-driver'].node.addDependency(ebs.association);
  }

  /** Order a node group after networking (nodes need the CNI to be Ready) and before the workload add-ons. */
  addNodegroupOrdering(nodegroup: Construct): void {
    for (const addon of this.networkingAddons) nodegroup.node.addDependency(addon);
    for (const addon of this.workloadAddons) addon.node.addDependency(nodegroup);
  }
}
