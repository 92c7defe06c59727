/**
 * Issue 11's acceptance on every synthesized environment of the example: someone can reach and
 * administer the cluster, node volumes are encrypted inside the seal, node groups update and
 * repair, versions stay in standard support, the control-plane log group is the stack's, and the
 * stack says what a team needs (Outputs).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { EXAMPLE_CONFIG_TEXT, exampleConfig } from './fixture.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[] }>;

function synthAll(text = EXAMPLE_CONFIG_TEXT) {
  const config = parsePlatformModel('platform.yaml', text);
  const { app, stacks } = buildPlatformApp(config, {});
  const assembly = app.synth();
  return { config, stacks, templates: new Map([...stacks].map(([name, stack]) => [name, assembly.getStackByName(stack.stackName).template as { Resources: Resources; Outputs: Record<string, any>; Parameters?: Record<string, unknown> }])) };
}

const all = synthAll();
const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe.each(exampleConfig().environments.map((env) => env.name))('environment %s', (name) => {
  const template = all.templates.get(name)!;
  const env = all.config.environments.find((candidate) => candidate.name === name)!;
  const cluster = ofType(template.Resources, 'AWS::EKS::Cluster')[0]!;

  test('every configured admin has a cluster-admin access entry, and the creator gets no admin permissions', () => {
    expect(cluster[1].Properties!.AccessConfig).toMatchObject({ AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false });
    const entries = ofType(template.Resources, 'AWS::EKS::AccessEntry').map(([, entry]) => entry.Properties!);
    expect(env.access.clusterAdminRoleArns.length).toBeGreaterThan(0);
    for (const arn of env.access.clusterAdminRoleArns) {
      const entry = entries.find((candidate) => candidate.PrincipalArn === arn)!;
      expect(JSON.stringify(entry.AccessPolicies)).toContain('AmazonEKSClusterAdminPolicy');
      expect(entry.AccessPolicies[0].AccessScope).toEqual({ Type: 'cluster' });
    }
  });

  test('the control-plane security group has a 443 ingress rule per configured network, and only 443', () => {
    const sgs = ofType(template.Resources, 'AWS::EC2::SecurityGroup').filter(([id]) => id.includes('ControlPlaneSecurityGroup'));
    expect(sgs).toHaveLength(1);
    const ingress = sgs[0]![1].Properties!.SecurityGroupIngress as Array<Record<string, unknown>>;
    const expected = [...(env.endpointAccess.privateAccess.includeVpcCidr && 'createVpc' in env.network ? [env.network.createVpc.cidr] : []), ...env.endpointAccess.privateAccess.cidrs];
    expect(ingress.map((rule) => rule.CidrIp)).toEqual(expected);
    for (const rule of ingress) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(cluster[1].Properties!.ResourcesVpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [sgs[0]![0], 'GroupId'] }]);
  });

  test('node volumes are encrypted with a customer-managed key the Auto Scaling role may use; still no ImageId or UserData', () => {
    for (const [, lt] of ofType(template.Resources, 'AWS::EC2::LaunchTemplate')) {
      const data = lt.Properties!.LaunchTemplateData;
      expect(data.ImageId).toBeUndefined();
      expect(data.UserData).toBeUndefined();
      const devices = data.BlockDeviceMappings as Array<{ DeviceName: string; Ebs: Record<string, any> }>;
      expect(devices.map((device) => device.DeviceName)).toEqual(['/dev/xvda', '/dev/xvdb']);
      for (const device of devices) {
        expect(device.Ebs).toMatchObject({ Encrypted: true, DeleteOnTermination: true });
        expect(device.Ebs.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^NodeVolumeKey/);
      }
      expect(devices[1]!.Ebs).toMatchObject({ VolumeType: 'gp3', VolumeSize: 20 });
    }
    const key = template.Resources[ofType(template.Resources, 'AWS::KMS::Key').find(([id]) => id.startsWith('NodeVolumeKey'))![0]]!;
    const statements = key.Properties!.KeyPolicy.Statement as Array<Record<string, any>>;
    const slr = statements.filter((statement) => JSON.stringify(statement.Principal).includes('AWSServiceRoleForAutoScaling'));
    expect(slr.map((statement) => statement.Action).flat()).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant']));
    expect(JSON.stringify(slr)).toContain('AWS::Partition');
    expect(slr.find((statement) => statement.Action === 'kms:CreateGrant')!.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    // The platform's deny of grants for non-AWS resources still applies to this key.
    expect(statements.some((statement) => statement.Sid === 'DenyGrantsExceptForAwsResources' && statement.Effect === 'Deny')).toBe(true);
  });

  test('node groups roll one node at a time by default and repair themselves', () => {
    for (const [, group] of ofType(template.Resources, 'AWS::EKS::Nodegroup')) {
      expect(group.Properties!.UpdateConfig).toEqual({ MaxUnavailable: 1 });
      expect(group.Properties!.NodeRepairConfig).toEqual({ Enabled: true });
    }
  });

  test('standard support, and the control-plane log group is created before the cluster with a key and a retention', () => {
    expect(cluster[1].Properties!.UpgradePolicy).toEqual({ SupportType: 'STANDARD' });
    const [logId, logGroup] = ofType(template.Resources, 'AWS::Logs::LogGroup').find(([, group]) => group.Properties!.LogGroupName === `/aws/eks/fedplat-${name}/cluster`)!;
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: env.controlPlaneLogs.retentionDays, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/ControlPlaneLogsKey/), 'Arn'] } });
    expect(cluster[1].DependsOn).toContain(logId);
  });

  test('Outputs say how to reach the cluster and where evidence goes', () => {
    expect(Object.keys(template.Outputs).sort()).toEqual(
      ['CisCollectorRoleArn', 'ClusterArn', 'ClusterEndpoint', 'ClusterName', 'ClusterSecurityGroupId', 'ControlPlaneSecurityGroupId', 'EvidenceBucketName', 'FalcosidekickRoleArn', 'UpdateKubeconfigCommand'].sort(),
    );
    expect(template.Outputs.UpdateKubeconfigCommand.Value).toBe(`aws eks update-kubeconfig --name fedplat-${name} --region ${env.region} --role-arn ${env.access.clusterAdminRoleArns[0]}`);
  });
});

describe('configuration variants', () => {
  const DEV_NODEGROUP = '        instanceTypes: [m7i.large]\n';

  test('GIVEN scoped entries THEN each gets its access policy, namespaced where configured', () => {
    const staging = Template.fromJSON(all.templates.get('staging')!);
    staging.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws-us-gov:iam::222222222222:role/EXAMPLE-developers',
      AccessPolicies: [{ PolicyArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEKSEditPolicy')])] }), AccessScope: { Type: 'namespace', Namespaces: ['apps'] } }],
    });
  });

  test('GIVEN extended support, a data volume and maxUnavailablePercentage THEN they reach the template', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('    kubernetesVersion: "1.33"\n', '    kubernetesVersion: "1.33"\n    kubernetesSupport: extended\n').replace(
      DEV_NODEGROUP,
      `${DEV_NODEGROUP}        dataVolume: { sizeGiB: 100, type: gp3, iops: 6000, throughputMiBps: 500 }\n        updateConfig: { maxUnavailablePercentage: 33 }\n        autoRepair: false\n`,
    );
    const dev = Template.fromJSON(synthAll(text).templates.get('dev')!);
    dev.hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'EXTENDED' } });
    dev.hasResourceProperties('AWS::EKS::Nodegroup', { UpdateConfig: { MaxUnavailablePercentage: 33 }, NodeRepairConfig: { Enabled: false } });
    dev.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { BlockDeviceMappings: Match.arrayWith([{ DeviceName: '/dev/xvdb', Ebs: Match.objectLike({ VolumeSize: 100, VolumeType: 'gp3', Iops: 6000, Throughput: 500 }) }]) },
    });
  });

  test('GIVEN VPC endpoints THEN S3 is a gateway endpoint and the others interface endpoints with private DNS in the node subnets', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('        natGateways: 1\n', '        natGateways: 1\n        vpcEndpoints: [s3, ecr.api, ecr.dkr, sts, ec2, eks, eks-auth, logs, autoscaling]\n');
    const dev = synthAll(text).templates.get('dev')!;
    const endpoints = ofType(dev.Resources, 'AWS::EC2::VPCEndpoint').map(([, endpoint]) => endpoint.Properties!);
    expect(endpoints.filter((endpoint) => endpoint.VpcEndpointType === 'Gateway')).toHaveLength(1);
    const interfaces = endpoints.filter((endpoint) => endpoint.VpcEndpointType === 'Interface');
    expect(interfaces.map((endpoint) => JSON.stringify(endpoint.ServiceName).match(/\.(ecr\.api|ecr\.dkr|sts|ec2|eks|eks-auth|logs|autoscaling)"/)?.[1]).sort()).toEqual(['autoscaling', 'ec2', 'ecr.api', 'ecr.dkr', 'eks', 'eks-auth', 'logs', 'sts']);
    for (const endpoint of interfaces) expect(endpoint.PrivateDnsEnabled).toBe(true);
  });

  test('GIVEN security groups and prefix lists for private access THEN they get 443 ingress rules', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace(
      '        natGateways: 1\n    nodeGroups:',
      '        natGateways: 1\n    endpointAccess:\n      privateAccess:\n        securityGroupIds: [sg-0abc12345def67890]\n        prefixListIds: [pl-0abc12345def67890]\n        includeVpcCidr: false\n    nodeGroups:',
    );
    const dev = synthAll(text).templates.get('dev')!;
    const [sgId, sg] = ofType(dev.Resources, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('ControlPlaneSecurityGroup'))!;
    // CDK puts some rules in resources of their own.
    const separate = ofType(dev.Resources, 'AWS::EC2::SecurityGroupIngress')
      .map(([, rule]) => rule.Properties!)
      .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify({ 'Fn::GetAtt': [sgId, 'GroupId'] }));
    expect([...(sg.Properties!.SecurityGroupIngress ?? []), ...separate]).toEqual([
      expect.objectContaining({ SourceSecurityGroupId: 'sg-0abc12345def67890', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ SourcePrefixListId: 'pl-0abc12345def67890', FromPort: 443, ToPort: 443 }),
    ]);
  });

  test('GIVEN the bootstrapless synthesizer THEN the templates need no bootstrap parameter', () => {
    expect(all.templates.get('dev')!.Parameters).toHaveProperty('BootstrapVersion');
    const dev = synthAll(`${EXAMPLE_CONFIG_TEXT}\ndeployment:\n  synthesizer: bootstrapless\n`).templates.get('dev')!;
    expect(dev.Parameters ?? {}).not.toHaveProperty('BootstrapVersion');
    expect(JSON.stringify(dev)).not.toMatch(/cdk-hnb659fds|BootstrapVersion/);
  });

  test('the Cluster Autoscaler role may scale only groups tagged for this cluster and read only its node groups; an empty node group tells it its labels, taints and ephemeral storage', () => {
    const staging = all.templates.get('staging')!;
    const policies = ofType(staging.Resources, 'AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('ClusterAutoscaler'));
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties!.PolicyDocument.Statement as Array<Record<string, any>>;
    const scale = statements.find((statement) => JSON.stringify(statement.Action).includes('SetDesiredCapacity'))!;
    expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/fedplat-staging': 'owned' } });
    expect(JSON.stringify(statements.find((statement) => statement.Action === 'eks:DescribeNodegroup')!.Resource)).toContain(':nodegroup/fedplat-staging/*/*');
    // The autoscaler reads these three through eks:DescribeNodegroup when the group has no node.
    const graviton = ofType(staging.Resources, 'AWS::EKS::Nodegroup').map(([, group]) => group.Properties!).find((group) => group.NodegroupName.startsWith('graviton-'))!;
    expect(graviton.ScalingConfig).toEqual({ MinSize: 0, DesiredSize: 0, MaxSize: 6 });
    expect(graviton.Labels).toMatchObject({ workload: 'batch' });
    expect(graviton.Taints).toEqual([{ Key: 'workload', Value: 'batch', Effect: 'NO_SCHEDULE' }]);
    expect(graviton.Tags).toEqual({ 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '20Gi' });
    Template.fromJSON(staging).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: WORKLOADS.clusterAutoscaler.namespace, ServiceAccount: WORKLOADS.clusterAutoscaler.serviceAccount });
  });

  test('GIVEN clusterAutoscaler.enabled false THEN the stack has no autoscaler role, association or node group tags', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace(/^(\s+)cis:\n/gm, '$1clusterAutoscaler:\n$1  enabled: false\n$1cis:\n');
    expect(text).not.toBe(EXAMPLE_CONFIG_TEXT);
    const staging = synthAll(text).templates.get('staging')!;
    expect(Object.keys(staging.Resources).filter((id) => id.startsWith('ClusterAutoscaler'))).toEqual([]);
    const associations = ofType(staging.Resources, 'AWS::EKS::PodIdentityAssociation').map(([, association]) => association.Properties!.Namespace);
    expect(associations.length).toBeGreaterThan(0);
    expect(associations).not.toContain(WORKLOADS.clusterAutoscaler.namespace);
    expect(ofType(staging.Resources, 'AWS::EKS::Nodegroup').map(([, group]) => group.Properties!.Tags)).toEqual([undefined, undefined]);
  });

  test('GIVEN managed Argo CD THEN its RBAC role mappings come from config and the stack prints the access-policy command for its role', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace(
      'gitops:\n  controller: flux\n',
      'gitops:\n  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef\n  argoCdRoleMappings:\n    - role: ADMIN\n      identities: [{ id: 906727e5-1b2c-4d3e-8f90-123456789abc, type: SSO_GROUP }]\n',
    );
    const dev = synthAll(text).templates.get('dev')!;
    const capability = ofType(dev.Resources, 'AWS::EKS::Capability')[0]![1].Properties!;
    expect(capability.Configuration.ArgoCd.RbacRoleMappings).toEqual([{ Role: 'ADMIN', Identities: [{ Id: '906727e5-1b2c-4d3e-8f90-123456789abc', Type: 'SSO_GROUP' }] }]);
    const command = JSON.stringify(dev.Outputs.ArgoCdAccessPolicyCommand.Value);
    expect(command).toContain('aws eks associate-access-policy --region us-gov-west-1 --cluster-name fedplat-dev');
    expect(command).toContain('cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster');
    expect(command).toMatch(/ArgoCdRole[0-9A-F]+","Arn"/);
  });
});
