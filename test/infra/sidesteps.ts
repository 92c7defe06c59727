/**
 * The catalogue of sidesteps: edits of a synthesized template that try to get an ADR-15
 * violation past the gates, each with the rule id that must fire. Data, so reviewers read the
 * expectations; `check.test.ts` applies each to the example's dev template.
 */
import type { CfnTemplateJson } from '../../src/infra/rules/index.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

export interface Sidestep {
  readonly name: string;
  /** Rule id that must fail. */
  readonly rule: string;
  readonly apply: (resources: Resources, template: { Transform?: unknown }) => void;
}

function only(resources: Resources, type: string): { logicalId: string; properties: Record<string, unknown> } {
  const matches = Object.entries(resources).filter(([, resource]) => resource.Type === type);
  if (matches.length !== 1) throw new Error(`sidestep fixture: expected one ${type}, found ${matches.length}`);
  const [logicalId, resource] = matches[0]!;
  resource.Properties ??= {};
  return { logicalId, properties: resource.Properties };
}

const nodeRole = (resources: Resources) => {
  const nodegroup = only(resources, 'AWS::EKS::Nodegroup');
  const logicalId = (nodegroup.properties.NodeRole as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return { logicalId, properties: resources[logicalId]!.Properties! };
};
const launchTemplateData = (resources: Resources) => only(resources, 'AWS::EC2::LaunchTemplate').properties.LaunchTemplateData as Record<string, unknown>;
const metadataOptions = (resources: Resources) => launchTemplateData(resources).MetadataOptions as Record<string, unknown>;
const vpcConfig = (resources: Resources) => only(resources, 'AWS::EKS::Cluster').properties.ResourcesVpcConfig as Record<string, unknown>;
const publicEndpoint = (resources: Resources, cidrs?: unknown) => {
  Object.assign(vpcConfig(resources), { EndpointPublicAccess: true, ...(cidrs === undefined ? {} : { PublicAccessCidrs: cidrs }) });
};
const awsManaged = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] });
const document = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] });
const addManagedPolicy = (resources: Resources, name: string) => {
  (nodeRole(resources).properties.ManagedPolicyArns as unknown[]).push(awsManaged(name));
};

export const SIDESTEPS: readonly Sidestep[] = [
  // Node role: SSM (or anything that includes it) by every means of attachment.
  { name: 'inline Policies on the node role allow ssm:*', rule: 'ADR15-SSM-1', apply: (r) => { nodeRole(r).properties.Policies = [{ PolicyName: 'ssm', PolicyDocument: document({ Action: 'ssm:*' }) }]; } },
  { name: 'AmazonSSMManagedInstanceCore in ManagedPolicyArns', rule: 'ADR15-SSM-1', apply: (r) => addManagedPolicy(r, 'AmazonSSMManagedInstanceCore') },
  { name: 'AdministratorAccess in ManagedPolicyArns', rule: 'ADR15-SSM-1', apply: (r) => addManagedPolicy(r, 'AdministratorAccess') },
  { name: 'PowerUserAccess in ManagedPolicyArns', rule: 'ADR15-SSM-1', apply: (r) => addManagedPolicy(r, 'PowerUserAccess') },
  { name: 'an AWS-managed policy of unknown content (CloudWatchAgentServerPolicy reads SSM parameters)', rule: 'ADR15-SSM-1', apply: (r) => addManagedPolicy(r, 'CloudWatchAgentServerPolicy') },
  { name: 'a customer-managed policy ARN from outside the template', rule: 'ADR15-SSM-1', apply: (r) => { (nodeRole(r).properties.ManagedPolicyArns as unknown[]).push('arn:aws-us-gov:iam::111111111111:policy/node-extras'); } },
  { name: 'ManagedPolicyArns from a parameter', rule: 'ADR15-SSM-1', apply: (r) => { nodeRole(r).properties.ManagedPolicyArns = { Ref: 'ExtraPolicies' }; } },
  { name: 'an AWS::IAM::ManagedPolicy whose Roles name the node role', rule: 'ADR15-SSM-1', apply: (r) => { r.Sidestep = { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: nodeRole(r).logicalId }], PolicyDocument: document({ Action: ['ssm:StartSession'] }) } }; } },
  { name: 'an AWS::IAM::Policy whose Roles name the node role, with ssm*', rule: 'ADR15-SSM-1', apply: (r) => { r.Sidestep = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: [{ Ref: nodeRole(r).logicalId }], PolicyDocument: document({ Action: 'ssm*' }) } }; } },
  { name: 'an AWS::IAM::RolePolicy on the node role with Action *', rule: 'ADR15-SSM-1', apply: (r) => { r.Sidestep = { Type: 'AWS::IAM::RolePolicy', Properties: { PolicyName: 'x', RoleName: { Ref: nodeRole(r).logicalId }, PolicyDocument: document({ Action: '*' }) } }; } },
  { name: 'NotAction on the node role', rule: 'ADR15-SSM-1', apply: (r) => { nodeRole(r).properties.Policies = [{ PolicyName: 'x', PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }]; } },
  { name: 'a policy attached to a role the rule cannot resolve (an import)', rule: 'ADR15-SSM-1', apply: (r) => { r.Sidestep = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'x', Roles: [{ 'Fn::ImportValue': 'node-role-name' }], PolicyDocument: document({ Action: 's3:GetObject' }) } }; } },
  { name: 'an SSH key on the node group (the admin host container)', rule: 'ADR15-SSM-1', apply: (r) => { only(r, 'AWS::EKS::Nodegroup').properties.RemoteAccess = { Ec2SshKey: 'ops' }; } },
  { name: 'an action wildcard that matches SSM Messages (ssmm*:*)', rule: 'ADR15-SSM-1', apply: (r) => { nodeRole(r).properties.Policies = [{ PolicyName: 'x', PolicyDocument: document({ Action: 'ssmm*:*' }) }]; } },
  // Seal: ImageId/UserData anywhere in a launch template's data, inside intrinsics too.
  { name: 'UserData in the launch template', rule: 'ADR15-SEAL-1', apply: (r) => { launchTemplateData(r).UserData = 'W3NldHRpbmdzXQ=='; } },
  { name: 'ImageId in the launch template', rule: 'ADR15-SEAL-1', apply: (r) => { launchTemplateData(r).ImageId = 'ami-0123456789abcdef0'; } },
  { name: 'UserData inside Fn::If', rule: 'ADR15-SEAL-1', apply: (r) => { launchTemplateData(r).Monitoring = { 'Fn::If': ['Always', { Enabled: true, UserData: 'x' }, { Enabled: true }] }; } },
  { name: 'UserData built with Fn::Base64 of Fn::Sub', rule: 'ADR15-SEAL-1', apply: (r) => { launchTemplateData(r).UserData = { 'Fn::Base64': { 'Fn::Sub': '[settings.host-containers.admin]\nenabled = true\n' } }; } },
  { name: 'ImageId from Fn::Join of a parameter', rule: 'ADR15-SEAL-1', apply: (r) => { launchTemplateData(r).ImageId = { 'Fn::Join': ['', ['ami-', { Ref: 'AmiSuffix' }]] }; } },
  { name: 'the whole LaunchTemplateData under Fn::If', rule: 'ADR15-SEAL-1', apply: (r) => { const lt = only(r, 'AWS::EC2::LaunchTemplate'); lt.properties.LaunchTemplateData = { 'Fn::If': ['Custom', { ImageId: 'ami-0123456789abcdef0' }, lt.properties.LaunchTemplateData] }; } },
  { name: 'a Transform that rewrites the template at deploy time', rule: 'ADR15-SEAL-1', apply: (_r, template) => { template.Transform = 'AWS::LanguageExtensions'; } },
  // Self-managed compute.
  { name: 'a self-managed Auto Scaling group', rule: 'ADR15-SEAL-2', apply: (r) => { r.Sidestep = { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1' } }; } },
  { name: 'an EC2 instance', rule: 'ADR15-SEAL-2', apply: (r) => { r.Sidestep = { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-0123456789abcdef0' } }; } },
  { name: 'a launch template no Bottlerocket node group uses', rule: 'ADR15-SEAL-2', apply: (r) => { r.Sidestep = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } } } }; } },
  { name: 'a Fargate profile', rule: 'ADR15-SEAL-2', apply: (r) => { r.Sidestep = { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: 'x', PodExecutionRoleArn: 'arn:aws-us-gov:iam::111111111111:role/x', Selectors: [{ Namespace: 'default' }] } }; } },
  { name: 'EKS Auto Mode compute', rule: 'ADR15-SEAL-2', apply: (r) => { only(r, 'AWS::EKS::Cluster').properties.ComputeConfig = { Enabled: true }; } },
  { name: 'a node group on AL2023', rule: 'ADR15-AMI-1', apply: (r) => { only(r, 'AWS::EKS::Nodegroup').properties.AmiType = 'AL2023_x86_64_STANDARD'; } },
  { name: 'a node group on a CUSTOM AMI', rule: 'ADR15-AMI-1', apply: (r) => { only(r, 'AWS::EKS::Nodegroup').properties.AmiType = 'CUSTOM'; } },
  // IMDS.
  { name: 'IMDSv1 allowed', rule: 'ADR15-IMDS-1', apply: (r) => { metadataOptions(r).HttpTokens = 'optional'; } },
  { name: 'hop limit 2', rule: 'ADR15-IMDS-1', apply: (r) => { metadataOptions(r).HttpPutResponseHopLimit = 2; } },
  { name: 'hop limit from Fn::If', rule: 'ADR15-IMDS-1', apply: (r) => { metadataOptions(r).HttpPutResponseHopLimit = { 'Fn::If': ['Pods', 2, 1] }; } },
  { name: 'no metadata options', rule: 'ADR15-IMDS-1', apply: (r) => { delete launchTemplateData(r).MetadataOptions; } },
  { name: 'a node group without a launch template', rule: 'ADR15-IMDS-1', apply: (r) => { delete only(r, 'AWS::EKS::Nodegroup').properties.LaunchTemplate; } },
  // Endpoint.
  { name: 'a public endpoint without CIDRs', rule: 'ADR15-EP-1', apply: (r) => publicEndpoint(r) },
  { name: 'a public endpoint open to 0.0.0.0/0', rule: 'ADR15-EP-1', apply: (r) => publicEndpoint(r, ['0.0.0.0/0']) },
  { name: 'a public endpoint open to 0.0.0.0/1 + 128.0.0.0/1', rule: 'ADR15-EP-1', apply: (r) => publicEndpoint(r, ['0.0.0.0/1', '128.0.0.0/1']) },
  { name: 'a public endpoint open to a /8', rule: 'ADR15-EP-1', apply: (r) => publicEndpoint(r, ['10.0.0.0/8']) },
  { name: 'public CIDRs from a parameter', rule: 'ADR15-EP-1', apply: (r) => publicEndpoint(r, [{ Ref: 'Cidr' }]) },
  { name: 'the private endpoint turned off', rule: 'ADR15-EP-1', apply: (r) => { vpcConfig(r).EndpointPrivateAccess = false; } },
  // Logging, encryption, releases, brupop.
  { name: 'control-plane logging removed', rule: 'ADR15-LOG-1', apply: (r) => { delete only(r, 'AWS::EKS::Cluster').properties.Logging; } },
  { name: 'the audit log type dropped', rule: 'ADR15-LOG-1', apply: (r) => { const logging = only(r, 'AWS::EKS::Cluster').properties.Logging as { ClusterLogging: { EnabledTypes: Array<{ Type: string }> } }; logging.ClusterLogging.EnabledTypes = logging.ClusterLogging.EnabledTypes.filter((entry) => entry.Type !== 'audit'); } },
  { name: 'secrets encryption removed', rule: 'ADR15-ENC-1', apply: (r) => { delete only(r, 'AWS::EKS::Cluster').properties.EncryptionConfig; } },
  { name: 'an unpinned release', rule: 'ADR15-REL-1', apply: (r) => { delete only(r, 'AWS::EKS::Nodegroup').properties.ReleaseVersion; } },
  { name: 'the brupop label removed', rule: 'ADR15-UPD-1', apply: (r) => { only(r, 'AWS::EKS::Nodegroup').properties.Labels = { workload: 'general' }; } },
];

/** A deep copy of `template` with `sidestep` applied. */
export function withSidestep(template: CfnTemplateJson, sidestep: Sidestep): CfnTemplateJson {
  const copy = structuredClone(template) as CfnTemplateJson & { Resources: Resources; Transform?: unknown };
  sidestep.apply(copy.Resources, copy);
  return copy;
}
