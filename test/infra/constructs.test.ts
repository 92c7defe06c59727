import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { EVIDENCE_PREFIX, UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../src/common/names.js';
import { EvidenceBucket } from '../../src/infra/evidence-bucket.js';
import { EvidenceWriters } from '../../src/infra/evidence-writers.js';
import { BottlerocketVpc } from '../../src/infra/network.js';
import { BottlerocketNodeRole } from '../../src/infra/node-role.js';
import { nodeVolumeKey } from '../../src/infra/node-volumes.js';
import { bottlerocketAmiType } from '../../src/config/index.js';
import { BottlerocketNodegroup, type NodeArchitecture } from '../../src/infra/nodegroup.js';
import { clusterFixture, govStack, templateJson } from './fixture.js';

function nodegroupFixture(architecture: NodeArchitecture = 'x86_64', fips = false, kubernetesVersion?: string) {
  const { stack, cluster } = clusterFixture();
  const { role } = new BottlerocketNodeRole(stack, 'NodeRole');
  new BottlerocketNodegroup(stack, 'Group', {
    cluster: cluster.cluster,
    nodeRole: role,
    nodegroupName: 'general',
    volumeKey: nodeVolumeKey(stack, 'VolumeKey'),
    architecture,
    fips,
    instanceTypes: [architecture === 'arm64' ? 'm7g.large' : 'm7i.large'],
    minSize: 1,
    desiredSize: 2,
    maxSize: 3,
    releaseVersion: '1.47.0-6154605b',
    labels: { workload: 'general' },
    taints: [{ key: 'workload', value: 'batch', effect: 'NoSchedule' }],
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('BottlerocketNodegroup', () => {
  test.each([
    ['x86_64', false, 'BOTTLEROCKET_x86_64'],
    ['x86_64', true, 'BOTTLEROCKET_x86_64_FIPS'],
    ['arm64', false, 'BOTTLEROCKET_ARM_64'],
    ['arm64', true, 'BOTTLEROCKET_ARM_64_FIPS'],
  ] as const)('GIVEN %s with fips=%s THEN the node group uses %s', (architecture, fips, amiType) => {
    expect(bottlerocketAmiType(architecture, fips)).toBe(amiType);
    nodegroupFixture(architecture, fips).template.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: amiType });
  });

  test('pins the release, carries the updater label, labels and taints from config', () => {
    nodegroupFixture().template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ReleaseVersion: '1.47.0-6154605b',
      Labels: { workload: 'general', [UPDATER_INTERFACE_LABEL.key]: '2.0.0' },
      Taints: [{ Key: 'workload', Value: 'batch', Effect: 'NO_SCHEDULE' }],
      ScalingConfig: { MinSize: 1, DesiredSize: 2, MaxSize: 3 },
      LaunchTemplate: { Id: { Ref: Match.anyValue() }, Version: { 'Fn::GetAtt': [Match.anyValue(), 'LatestVersionNumber'] } },
    });
  });

  test('sends the Kubernetes version with the release when given, and leaves it to EKS otherwise', () => {
    nodegroupFixture('x86_64', false, '1.33').template.hasResourceProperties('AWS::EKS::Nodegroup', { Version: '1.33', ReleaseVersion: '1.47.0-6154605b' });
    nodegroupFixture().template.hasResourceProperties('AWS::EKS::Nodegroup', { Version: Match.absent() });
  });

  test('its launch template carries only IMDS options, monitoring and encrypted volumes: no ImageId, no UserData', () => {
    const { template } = nodegroupFixture();
    template.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        Monitoring: { Enabled: true },
        ImageId: Match.absent(),
        UserData: Match.absent(),
      },
    });
    const data = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0]!.Properties.LaunchTemplateData;
    expect(Object.keys(data).sort()).toEqual(['BlockDeviceMappings', 'MetadataOptions', 'Monitoring']);
  });
});

describe('BottlerocketNodeRole', () => {
  test('GIVEN the default THEN only worker-node and ECR read-only policies, partition-aware, no SSM, no CNI', () => {
    const stack = govStack();
    new BottlerocketNodeRole(stack, 'NodeRole');
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    const arns = JSON.stringify(roles[0]!.Properties.ManagedPolicyArns);
    expect(arns).toContain('AmazonEKSWorkerNodePolicy');
    expect(arns).toContain('AmazonEC2ContainerRegistryPullOnly');
    expect(arns).not.toContain('AmazonEC2ContainerRegistryReadOnly');
    expect(arns).toContain('AWS::Partition');
    expect(arns).not.toMatch(/SSM|AmazonEKS_CNI_Policy/);
    expect(roles[0]!.Properties.ManagedPolicyArns).toHaveLength(2);
  });

  test('GIVEN vpc-cni outside Pod Identity THEN the node role carries the CNI policy instead', () => {
    const stack = govStack();
    new BottlerocketNodeRole(stack, 'NodeRole', { vpcCniOnPodIdentity: false });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('AmazonEKS_CNI_Policy');
  });
});

describe('BottlerocketCluster', () => {
  test('private endpoint, KMS secrets encryption with rotation, all log types, access entries', () => {
    const template = Template.fromStack(clusterFixture().stack);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.33',
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      EncryptionConfig: [{ Resources: ['secrets'], Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecretsKey'), 'Arn'] } } }],
      Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }]) } },
      AccessConfig: { AuthenticationMode: 'API' },
      BootstrapSelfManagedAddons: false,
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('GIVEN publicCidrs THEN the endpoint is public-and-private restricted to them', () => {
    Template.fromStack(clusterFixture({ publicCidrs: ['203.0.113.0/24'] }).stack).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
  });

  test('managed add-ons and the Pod Identity agent, with CNI and EBS CSI permissions through Pod Identity', () => {
    const template = Template.fromStack(clusterFixture().stack);
    const addons = Object.values(template.findResources('AWS::EKS::Addon')).map((addon) => addon.Properties.AddonName);
    expect(addons.sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    for (const workload of [WORKLOADS.vpcCni, WORKLOADS.ebsCsiController]) {
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: workload.namespace, ServiceAccount: workload.serviceAccount });
    }
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
  });

  test('GIVEN admin role ARNs THEN each gets an access entry with AmazonEKSClusterAdminPolicy', () => {
    const arn = 'arn:aws-us-gov:iam::111111111111:role/platform-admin';
    Template.fromStack(clusterFixture({ clusterAdminRoleArns: [arn] }).stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: arn,
      AccessPolicies: [{ PolicyArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEKSClusterAdminPolicy')])] }, AccessScope: { Type: 'cluster' } }],
    });
  });

  test('nothing needs a Lambda or kubectl custom resource, and no ARN hard-codes the aws partition', () => {
    const { stack } = clusterFixture();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    expect(JSON.stringify(templateJson(stack))).not.toContain('arn:aws:');
  });
});

describe('BottlerocketVpc', () => {
  test('private node subnets, no public IP auto-assignment anywhere, flow logs to an encrypted group', () => {
    const stack = govStack();
    new BottlerocketVpc(stack, 'Network', { cidr: '10.10.0.0/16', maxAzs: 3, natGateways: 1 });
    const template = Template.fromStack(stack);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(6);
    expect(subnets.every((subnet) => subnet.Properties.MapPublicIpOnLaunch === false)).toBe(true);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });
});

describe('EvidenceBucket and EvidenceWriters', () => {
  function evidenceFixture(falcoLogGroupName?: string) {
    const { stack, cluster } = clusterFixture();
    const evidence = new EvidenceBucket(stack, 'Evidence', { bucketName: 'fedplat-dev-evidence-111111111111-us-gov-west-1', accessLogBucketName: 'fedplat-dev-logs-111111111111-us-gov-west-1', retentionDays: 30, objectLockMode: 'GOVERNANCE' });
    new EvidenceWriters(stack, 'Writers', { cluster: cluster.cluster, evidence, ...(falcoLogGroupName ? { falcoLogGroupName } : {}) });
    return Template.fromStack(stack);
  }

  test('KMS, versioning, Object Lock with the configured retention, public access blocked, access logging', () => {
    const template = evidenceFixture();
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'fedplat-dev-evidence-111111111111-us-gov-west-1',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') } },
    });
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test.each([
    ['falcosidekick', WORKLOADS.falcosidekick, EVIDENCE_PREFIX.falco],
    ['cis collector', WORKLOADS.cisCollector, EVIDENCE_PREFIX.cis],
  ])('the %s role may only put objects under its own prefix', (_name, workload, prefix) => {
    const template = evidenceFixture();
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: workload.namespace, ServiceAccount: workload.serviceAccount });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((policy) => JSON.stringify(policy.Properties));
    const own = policies.filter((policy) => policy.includes(`/${prefix}*`));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('"s3:PutObject"');
    expect(own[0]).not.toMatch(/s3:(GetObject|DeleteObject|ListBucket|\*)/);
  });

  test('GIVEN a Falco log group name THEN it is created encrypted and falcosidekick may write to it', () => {
    const template = evidenceFixture('/soc/falco/prod');
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/soc/falco/prod', KmsKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] })]) },
    });
  });
});
