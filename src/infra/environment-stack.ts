/**
 * One environment's AWS layer as one stack: network, cluster, Bottlerocket node groups, node
 * role, evidence bucket and its writers, and (optionally) the managed Argo CD capability.
 */
import { BootstraplessSynthesizer, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import { ArgoCdCapability } from './argocd-capability.js';
import { setBreakGlassRole } from './break-glass.js';
import { ACCESS_POLICY_NAMES, BottlerocketCluster } from './cluster.js';
import { ClusterAutoscalerIdentity } from './cluster-autoscaler-identity.js';
import { EvidenceBucket } from './evidence-bucket.js';
import { EvidenceWriters } from './evidence-writers.js';
import { BottlerocketVpc, importVpc } from './network.js';
import { BottlerocketNodeRole } from './node-role.js';
import { BottlerocketNodegroup } from './nodegroup.js';
import { nodeVolumeKey } from './node-volumes.js';

export interface EnvironmentStackProps extends StackProps {
  readonly platform: PlatformModel;
  readonly environment: EnvironmentModel;
}

export class EnvironmentStack extends Stack {
  readonly config: EnvironmentModel;
  readonly clusterName: string;
  readonly cluster: BottlerocketCluster;
  readonly nodegroups: readonly BottlerocketNodegroup[];
  readonly evidence: EvidenceBucket;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { platform, environment: env } = props;
    super(scope, id, {
      ...props,
      // No assets, so no bootstrap bucket is needed; `bootstrapless` also drops the roles and the
      // BootstrapVersion parameter, for StackSets, Service Catalog and Account Factory.
      ...(platform.deployment.synthesizer === 'bootstrapless' ? { synthesizer: new BootstraplessSynthesizer() } : {}),
      stackName: env.stackName,
      env: { account: env.account, region: env.region },
      description: `${platform.project} ${env.name}: EKS ${env.kubernetesVersion} on Bottlerocket (ADR-15)`,
    });
    // Before any child: every key and the evidence bucket read it.
    setBreakGlassRole(this, env.access.breakGlassRoleArn);
    this.config = env;
    this.clusterName = env.clusterName;
    const vpc = this.network(env);
    const privateAccess = env.endpointAccess.privateAccess;
    // The literal CIDR (not the VPC's token), so the gates can judge the rule.
    const vpcCidr = privateAccess.includeVpcCidr && 'createVpc' in env.network ? [env.network.createVpc.cidr] : [];
    this.cluster = new BottlerocketCluster(this, 'Cluster', {
      clusterName: this.clusterName,
      kubernetesVersion: env.kubernetesVersion,
      vpc,
      publicCidrs: env.endpointAccess.mode === 'public-and-private' ? env.endpointAccess.publicCidrs : [],
      privateAccess: { ...privateAccess, cidrs: [...vpcCidr, ...privateAccess.cidrs] },
      clusterAdminRoleArns: env.access.clusterAdminRoleArns,
      accessEntries: env.access.entries.map((entry) => ({ principalArn: entry.principalArn, level: entry.policy, namespaces: entry.namespaces })),
      controlPlaneLogRetention: env.controlPlaneLogs.retentionDays as logs.RetentionDays,
      supportType: env.kubernetesSupport === 'extended' ? 'EXTENDED' : 'STANDARD',
    });
    const nodeRole = new BottlerocketNodeRole(this, 'NodeRole');
    const volumeKey = nodeVolumeKey(this, 'NodeVolumeKey');
    this.nodegroups = env.nodeGroups.map((group) => {
      const nodegroup = new BottlerocketNodegroup(this, `Nodegroup-${group.name}`, {
        cluster: this.cluster.cluster,
        nodeRole: nodeRole.role,
        nodegroupName: group.name,
        volumeKey,
        dataVolume: group.dataVolume,
        maxUnavailable: group.updateConfig.maxUnavailable ?? { percentage: group.updateConfig.maxUnavailablePercentage! },
        autoRepair: group.autoRepair,
        autoscaled: env.clusterAutoscaler.enabled,
        architecture: group.architecture,
        fips: group.fips,
        instanceTypes: group.instanceTypes,
        capacityType: group.capacityType,
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
        releaseVersion: group.releaseVersion,
        kubernetesVersion: env.kubernetesVersion,
        labels: group.labels,
        taints: group.taints,
      });
      this.cluster.addNodegroupOrdering(nodegroup);
      return nodegroup;
    });
    this.evidence = new EvidenceBucket(this, 'Evidence', {
      bucketName: env.evidenceBucketName,
      accessLogBucketName: env.accessLogBucketName,
      retentionDays: env.evidence.retentionDays,
      objectLockMode: env.evidence.objectLockMode,
    });
    const writers = new EvidenceWriters(this, 'EvidenceWriters', {
      cluster: this.cluster.cluster,
      evidence: this.evidence,
      falcoLogGroupName: env.falco.cloudwatchLogGroup,
    });
    if (env.clusterAutoscaler.enabled) new ClusterAutoscalerIdentity(this, 'ClusterAutoscaler', { cluster: this.cluster.cluster, clusterName: this.clusterName });
    this.outputs(env, writers);
    const identityCenterInstanceArn = env.argoCd?.managedIdentityCenterInstanceArn;
    if (identityCenterInstanceArn !== undefined) {
      const { argoCdRoleMappings, argoCdDeployAccess } = platform.gitops;
      const argoCd = new ArgoCdCapability(this, 'ArgoCd', {
        cluster: this.cluster.cluster,
        clusterName: this.clusterName,
        identityCenterInstanceArn,
        roleMappings: argoCdRoleMappings,
        deployAccess: { policyName: ACCESS_POLICY_NAMES[argoCdDeployAccess.policy], namespaces: argoCdDeployAccess.namespaces },
      });
      new CfnOutput(this, 'ArgoCdAccessPolicyCommand', {
        value: argoCd.associateAccessPolicyCommand,
        description: 'Run once after the first deploy: lets the managed Argo CD deploy the cluster layer (EKS created its access entry)',
      });
    }
  }

  /** What a team needs after `deploy`: how to reach the cluster, and where evidence goes. */
  private outputs(env: EnvironmentModel, writers: EvidenceWriters): void {
    const cluster = this.cluster.cluster;
    const admin = env.access.clusterAdminRoleArns[0];
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ClusterName', cluster.clusterName, 'EKS cluster name');
    output('ClusterArn', cluster.clusterArn, 'EKS cluster ARN');
    output('ClusterEndpoint', cluster.clusterEndpoint, 'Kubernetes API endpoint (private: reach it from a network in endpointAccess.privateAccess)');
    output('ClusterSecurityGroupId', cluster.clusterSecurityGroupId, 'Security group EKS created for the control plane and nodes');
    output('ControlPlaneSecurityGroupId', this.cluster.controlPlaneSecurityGroup.securityGroupId, 'Security group holding the 443 ingress rules for the API');
    output(
      'UpdateKubeconfigCommand',
      `aws eks update-kubeconfig --name ${this.clusterName} --region ${this.region}${admin === undefined ? '' : ` --role-arn ${admin}`}`,
      'Run from a network that reaches the private endpoint, with credentials that may assume the admin role',
    );
    output('EvidenceBucketName', this.evidence.bucket.bucketName, 'Evidence bucket (CIS reports under cis/, Falco events under falco/)');
    output('FalcosidekickRoleArn', writers.falcosidekick.role.roleArn, 'Pod Identity role of falco/falco-falcosidekick (writes falco/)');
    output('CisCollectorRoleArn', writers.cisCollector.role.roleArn, 'Pod Identity role of bottlerocket-cis/cis-collector (writes cis/)');
  }

  /** The zones from the config, so CDK never looks them up (offline synthesis, no credentials). */
  override get availabilityZones(): string[] {
    return [...this.config.availabilityZones];
  }

  private network(env: EnvironmentModel): ec2.IVpc {
    if ('existingVpc' in env.network) return importVpc(this, 'Vpc', env.network.existingVpc);
    return new BottlerocketVpc(this, 'Network', { ...env.network.createVpc, availabilityZones: env.availabilityZones, subnetGroups: env.subnetGroups }).vpc;
  }
}
