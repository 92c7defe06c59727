/**
 * An EKS cluster on `aws-eks-v2` with ADR-15's control-plane defaults: private API endpoint
 * reachable on 443 from the networks named in config, secrets encrypted with a customer-managed
 * KMS key, every control-plane log type into a log group the stack owns (KMS, retention),
 * access entries only (the creator gets no admin permissions), standard support, and the managed
 * add-ons at pinned versions with their AWS permissions through EKS Pod Identity rather than the
 * node role. No kubectl Lambda: nothing here needs one.
 */
import { createHash } from 'node:crypto';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WORKLOADS } from '../common/names.js';
import { acknowledgeManagedPolicies } from './acknowledge.js';
import { platformKey } from './kms.js';
import { encryptedLogGroup } from './log-group.js';
import { PodIdentityRole } from './pod-identity.js';

/** Access levels → EKS access policy names. */
export const ACCESS_POLICY_NAMES = {
  view: 'AmazonEKSViewPolicy',
  edit: 'AmazonEKSEditPolicy',
  admin: 'AmazonEKSAdminPolicy',
  'cluster-admin': 'AmazonEKSClusterAdminPolicy',
} as const;
export type AccessLevel = keyof typeof ACCESS_POLICY_NAMES;

export interface ClusterAccessEntry {
  /** IAM role or user ARN. */
  readonly principalArn: string;
  readonly level: AccessLevel;
  /** @default - cluster-wide */
  readonly namespaces?: readonly string[];
}

/** Networks allowed to reach the private endpoint; each entry becomes a 443 ingress rule. */
export interface PrivateEndpointAccess {
  /** @default [] */
  readonly cidrs?: readonly string[];
  /** @default [] */
  readonly securityGroupIds?: readonly string[];
  /** @default [] */
  readonly prefixListIds?: readonly string[];
}

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
   * IAM role ARNs granted AmazonEKSClusterAdminPolicy through access entries. The cluster creator
   * (CloudFormation's role) gets no access (`BootstrapClusterCreatorAdminPermissions: false`),
   * so without one nobody can administer the cluster.
   *
   * @default - none
   */
  readonly clusterAdminRoleArns?: readonly string[];
  /** Further access entries with scoped policies. @default - none */
  readonly accessEntries?: readonly ClusterAccessEntry[];
  /** Networks that reach the private endpoint on 443. @default - none besides the nodes */
  readonly privateAccess?: PrivateEndpointAccess;
  /**
   * Retention of `/aws/eks/<cluster>/cluster`.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly controlPlaneLogRetention?: logs.RetentionDays;
  /**
   * EKS UpgradePolicy support type. Extended support costs about six times the standard
   * control-plane price.
   *
   * @default 'STANDARD'
   */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  /**
   * Pinned add-on versions (`AddonVersion` of each `AWS::EKS::Addon`), the Pod Identity agent's
   * included. An add-on without one gets EKS's default version when the cluster is created.
   *
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly addonVersions?: Partial<Readonly<Record<ManagedAddonName | 'eks-pod-identity-agent', string>>>;
}

/** Stable construct id for a principal's access entry: reordering the config changes nothing. */
function accessEntryId(principalArn: string): string {
  return `Access${createHash('sha256').update(principalArn).digest('hex').slice(0, 8)}`;
}

/** Managed add-ons the platform installs; the CNI and CSI driver get Pod Identity roles. */
export const MANAGED_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver'] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

export class BottlerocketCluster extends Construct {
  readonly cluster: eks.Cluster;
  /** The security group of the control-plane ENIs: the 443 ingress rules of `privateAccess` are here. */
  readonly controlPlaneSecurityGroup: ec2.SecurityGroup;
  /** `/aws/eks/<cluster>/cluster`, created before the cluster. */
  readonly controlPlaneLogGroup: logs.LogGroup;
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
    // EKS writes to exactly this name; created here so it has a key, a retention and the stack's gates.
    this.controlPlaneLogGroup = encryptedLogGroup(this, 'ControlPlaneLogs', {
      purpose: `EKS control-plane logs of ${props.clusterName}`,
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      retention: props.controlPlaneLogRetention ?? logs.RetentionDays.ONE_YEAR,
    }).logGroup;
    this.controlPlaneSecurityGroup = new ec2.SecurityGroup(this, 'ControlPlaneSecurityGroup', {
      vpc: props.vpc,
      description: `EKS control plane of ${props.clusterName}: Kubernetes API (443) from the configured networks`,
    });
    const access = props.privateAccess ?? {};
    const peers: Array<[ec2.IPeer, string]> = [
      ...(access.cidrs ?? []).map((cidr): [ec2.IPeer, string] => [ec2.Peer.ipv4(cidr), `Kubernetes API from ${cidr}`]),
      ...(access.securityGroupIds ?? []).map((id): [ec2.IPeer, string] => [ec2.Peer.securityGroupId(id), `Kubernetes API from ${id}`]),
      ...(access.prefixListIds ?? []).map((id): [ec2.IPeer, string] => [ec2.Peer.prefixList(id), `Kubernetes API from ${id}`]),
    ];
    for (const [peer, description] of peers) this.controlPlaneSecurityGroup.addIngressRule(peer, ec2.Port.tcp(443), description);
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
      securityGroup: this.controlPlaneSecurityGroup,
      // Admins come from config as access entries; CloudFormation's role is no person.
      bootstrapClusterCreatorAdminPermissions: false,
    });
    const resource = this.cluster.node.defaultChild as eks.CfnCluster;
    resource.node.addDependency(this.controlPlaneLogGroup);
    resource.upgradePolicy = { supportType: props.supportType ?? 'STANDARD' };
    acknowledgeManagedPolicies(this.cluster.role, ['AmazonEKSClusterPolicy'], 'EKS requires for the cluster service role');
    const entries: ClusterAccessEntry[] = [
      ...(props.clusterAdminRoleArns ?? []).map((principalArn): ClusterAccessEntry => ({ principalArn, level: 'cluster-admin' })),
      ...(props.accessEntries ?? []),
    ];
    for (const entry of entries) {
      const scope = entry.namespaces
        ? { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: [...entry.namespaces] }
        : { accessScopeType: eks.AccessScopeType.CLUSTER };
      this.cluster.grantAccess(accessEntryId(entry.principalArn), entry.principalArn, [eks.AccessPolicy.fromAccessPolicyName(ACCESS_POLICY_NAMES[entry.level], scope)]);
    }
    const podIdentityAgent = this.cluster.eksPodIdentityAgent;
    const agentVersion = props.addonVersions?.['eks-pod-identity-agent'];
    // aws-eks-v2 creates the agent itself, without a version prop: pin it on the L1 resource.
    if (podIdentityAgent && agentVersion !== undefined) (podIdentityAgent.node.defaultChild as eks.CfnAddon).addonVersion = agentVersion;

    const addon = (addonName: ManagedAddonName, constructId: string) => {
      const addonVersion = props.addonVersions?.[addonName];
      return new eks.Addon(this, constructId, { cluster: this.cluster, addonName, ...(addonVersion === undefined ? {} : { addonVersion }) });
    };
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
