/**
 * Each ADR-15 rule fires, with its id, on a stack built to violate it, and passes on the
 * platform's own constructs.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { ADR_RULES } from '../../src/gates/adr-catalogue.js';
import { BottlerocketNodeRole } from '../../src/infra/node-role.js';
import { nodeVolumeKey } from '../../src/infra/node-volumes.js';
import { BottlerocketNodegroup, sealedLaunchTemplateData } from '../../src/infra/nodegroup.js';
import { evaluateAdrRules, TEMPLATE_RULES, type CfnTemplateJson } from '../../src/infra/rules/index.js';
import { clusterFixture, govStack, templateJson } from './fixture.js';

type RuleKey = keyof typeof TEMPLATE_RULES;

const VOLUME_KEY_ARN = 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';

function compliantStack() {
  const fixture = clusterFixture();
  const { role } = new BottlerocketNodeRole(fixture.stack, 'NodeRole');
  new BottlerocketNodegroup(fixture.stack, 'Group', {
    cluster: fixture.cluster.cluster, nodeRole: role, nodegroupName: 'general', instanceTypes: ['m7i.large'], volumeKey: nodeVolumeKey(fixture.stack, 'VolumeKey'),
    minSize: 1, desiredSize: 1, maxSize: 2, releaseVersion: '1.47.0-6154605b',
  });
  return { ...fixture, role };
}

interface RawNodegroupOptions {
  readonly amiType?: string;
  readonly releaseVersion?: string;
  readonly labels?: Record<string, string>;
  readonly launchTemplateData?: ec2.CfnLaunchTemplate.LaunchTemplateDataProperty | null;
  readonly extraPolicy?: string;
  readonly inlineSsm?: boolean;
}

/** A node group built from raw L1 resources, so each test can break exactly one thing. */
function rawNodegroupTemplate(options: RawNodegroupOptions): CfnTemplateJson {
  const { stack, cluster } = clusterFixture();
  const role = new iam.Role(stack, 'RawRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: ['AmazonEKSWorkerNodePolicy', ...(options.extraPolicy ? [options.extraPolicy] : [])].map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
  if (options.inlineSsm) role.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:UpdateInstanceInformation', 'ssmmessages:*'], resources: ['*'] }));
  const launchTemplate = options.launchTemplateData === null ? undefined : new ec2.CfnLaunchTemplate(stack, 'RawLt', { launchTemplateData: options.launchTemplateData ?? sealedLaunchTemplateData(VOLUME_KEY_ARN) });
  new eks.CfnNodegroup(stack, 'RawNodegroup', {
    clusterName: cluster.cluster.clusterName,
    nodeRole: role.roleArn,
    subnets: ['subnet-0123456789abcdef0'],
    amiType: options.amiType ?? 'BOTTLEROCKET_x86_64',
    releaseVersion: options.releaseVersion ?? '1.47.0-6154605b',
    labels: options.labels ?? { 'bottlerocket.aws/updater-interface-version': '2.0.0' },
    ...(launchTemplate ? { launchTemplate: { id: launchTemplate.ref, version: launchTemplate.attrLatestVersionNumber } } : {}),
  });
  return templateJson(stack) as CfnTemplateJson;
}

function outcomes(key: RuleKey, template: CfnTemplateJson) {
  return TEMPLATE_RULES[key](template);
}

describe('ADR-15 rules on the platform constructs', () => {
  test('every rule passes on a BottlerocketCluster with a BottlerocketNodegroup', () => {
    const { stack } = compliantStack();
    const findings = evaluateAdrRules(templateJson(stack) as CfnTemplateJson, 'Test');
    expect(new Set(findings.map((finding) => finding.id))).toEqual(new Set(Object.keys(TEMPLATE_RULES).map((key) => ADR_RULES[key as RuleKey].id)));
    expect(findings.filter((finding) => finding.result !== 'pass')).toEqual([]);
    expect(findings.every((finding) => finding.source === 'ADR-15' && finding.adrSection && finding.nistControls?.length)).toBe(true);
  });

  test('a template without node groups or clusters is not applicable, not a pass', () => {
    const findings = evaluateAdrRules(templateJson(govStack()) as CfnTemplateJson, 'Empty');
    expect(findings.map((finding) => finding.result)).toEqual(Array(Object.keys(TEMPLATE_RULES).length).fill('not-applicable'));
  });
});

describe.each([
  ['bottlerocketAmi', 'an AL2 AMI type', { amiType: 'AL2_x86_64' }, /AL2_x86_64 is not a Bottlerocket/],
  ['sealIntact', 'UserData in the launch template', { launchTemplateData: { ...sealedLaunchTemplateData(VOLUME_KEY_ARN), userData: 'W3NldHRpbmdzXQ==' } }, /sets UserData/],
  ['sealIntact', 'an ImageId in the launch template', { launchTemplateData: { ...sealedLaunchTemplateData(VOLUME_KEY_ARN), imageId: 'ami-0123456789abcdef0' } }, /sets ImageId/],
  ['imdsHopLimit', 'hop limit 2', { launchTemplateData: { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } } }, /HttpPutResponseHopLimit is 2/],
  ['imdsHopLimit', 'IMDSv1 allowed', { launchTemplateData: { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 1 } } }, /HttpTokens is "optional"/],
  ['imdsHopLimit', 'no launch template', { launchTemplateData: null }, /no launch template/],
  ['noSsm', 'AmazonSSMManagedInstanceCore on the node role', { extraPolicy: 'AmazonSSMManagedInstanceCore' }, /AWS-managed policy AmazonSSMManagedInstanceCore, which grants SSM access/],
  ['noSsm', 'an inline SSM statement on the node role', { inlineSsm: true }, /allows ssm:UpdateInstanceInformation/],
  ['updaterLabel', 'a missing updater label', { labels: { workload: 'general' } }, /updater-interface-version=2.0.0 is missing/],
  ['releasePinned', 'release 1.34.0', { releaseVersion: '1.34.0' }, /not of the form <version>-<build>/],
] as const)('rule %s', (key, what, options, reason) => {
  test(`GIVEN ${what} THEN ${ADR_RULES[key].id} fails`, () => {
    const template = rawNodegroupTemplate(options as RawNodegroupOptions);
    const fired = outcomes(key, template).filter((outcome) => outcome.result === 'fail');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.reason).toMatch(reason);
    // Launch template rules judge the launch template, node group rules the node group.
    const resource = ['sealIntact', 'imdsHopLimit'].includes(key) && (options as RawNodegroupOptions).launchTemplateData !== null ? 'RawLt' : 'RawNodegroup';
    expect(evaluateAdrRules(template, 'Test').some((finding) => finding.id === ADR_RULES[key].id && finding.result === 'fail' && finding.resource.endsWith(resource))).toBe(true);
  });

  test(`GIVEN a compliant raw node group THEN ${ADR_RULES[key].id} passes`, () => {
    expect(outcomes(key, rawNodegroupTemplate({})).map((outcome) => outcome.result)).toEqual(['pass']);
  });
});

describe('cluster rules', () => {
  test('ADR15-EP-1 fails on a public endpoint open to the internet, passes on an allow-list', () => {
    const open = clusterFixture();
    (open.cluster.cluster.node.defaultChild as eks.CfnCluster).addPropertyOverride('ResourcesVpcConfig.EndpointPublicAccess', true);
    expect(outcomes('privateEndpoint', templateJson(open.stack) as CfnTemplateJson)).toEqual([
      expect.objectContaining({ result: 'fail', reason: expect.stringMatching(/whole internet/) }),
    ]);
    const restricted = clusterFixture({ publicCidrs: ['203.0.113.0/24'] });
    expect(outcomes('privateEndpoint', templateJson(restricted.stack) as CfnTemplateJson).map((outcome) => outcome.result)).toEqual(['pass']);
  });

  test('ADR15-ENC-1 fails on a cluster without secrets encryption', () => {
    const { stack, cluster } = clusterFixture();
    (cluster.cluster.node.defaultChild as eks.CfnCluster).addPropertyDeletionOverride('EncryptionConfig');
    const [outcome] = outcomes('secretsEncryption', templateJson(stack) as CfnTemplateJson);
    expect(outcome).toMatchObject({ result: 'fail', reason: 'no EncryptionConfig for "secrets"' });
    expect(evaluateAdrRules(templateJson(stack) as CfnTemplateJson, 'Test').find((finding) => finding.id === 'ADR15-ENC-1')?.result).toBe('fail');
  });

  test('ADR15-ENC-1 treats a key it cannot see as non-compliant', () => {
    const { stack, cluster } = clusterFixture();
    (cluster.cluster.node.defaultChild as eks.CfnCluster).addPropertyOverride('EncryptionConfig.0.Provider.KeyArn', 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/aws/eks');
    expect(outcomes('secretsEncryption', templateJson(stack) as CfnTemplateJson)[0]?.result).toBe('fail');
  });
});
