/**
 * One environment's AWS layer as one stack: network, cluster, Bottlerocket node groups, node
 * role, evidence bucket and its writers, and (optionally) the managed Argo CD capability.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import { ArgoCdCapability } from './argocd-capability.js';
import { setBreakGlassRole } from './break-glass.js';
import { BottlerocketCluster } from './cluster.js';
import { EvidenceBucket } from './evidence-bucket.js';
import { EvidenceWriters } from './evidence-writers.js';
import { BottlerocketVpc, importVpc } from './network.js';
import { BottlerocketNodeRole } from './node-role.js';
import { BottlerocketNodegroup } from './nodegroup.js';

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
      stackName: env.stackName,
      env: { account: env.account, region: env.region },
      description: `${platform.project} ${env.name}: EKS ${env.kubernetesVersion} on Bottlerocket (ADR-15)`,
    });
    // Before any child: every key and the evidence bucket read it.
    setBreakGlassRole(this, env.access.breakGlassRoleArn);
    this.config = env;
    this.clusterName = env.clusterName;
    const vpc = this.network(env);
    this.cluster = new BottlerocketCluster(this, 'Cluster', {
      clusterName: this.clusterName,
      kubernetesVersion: env.kubernetesVersion,
      vpc,
      publicCidrs: env.endpointAccess.mode === 'public-and-private' ? env.endpointAccess.publicCidrs : [],
      clusterAdminRoleArns: env.access.clusterAdminRoleArns,
    });
    const nodeRole = new BottlerocketNodeRole(this, 'NodeRole');
    this.nodegroups = env.nodeGroups.map((group) => {
      const nodegroup = new BottlerocketNodegroup(this, `Nodegroup-${group.name}`, {
        cluster: this.cluster.cluster,
        nodeRole: nodeRole.role,
        nodegroupName: group.name,
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
    new EvidenceWriters(this, 'EvidenceWriters', {
      cluster: this.cluster.cluster,
      evidence: this.evidence,
      falcoLogGroupName: env.falco.cloudwatchLogGroup,
    });
    const identityCenterInstanceArn = env.argoCd?.managedIdentityCenterInstanceArn;
    if (identityCenterInstanceArn !== undefined) {
      new ArgoCdCapability(this, 'ArgoCd', { cluster: this.cluster.cluster, identityCenterInstanceArn });
    }
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
