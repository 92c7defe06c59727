/**
 * Evidence that cannot be shredded or rewritten, and trust with conditions, on the example's dev
 * stack: every KMS key denies destruction to all but the break-glass principal, the evidence
 * bucket denies deletion, Object Lock/policy/encryption changes and puts with another key, and
 * every service-principal trust and key grant carries source conditions.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { WORKLOADS } from '../../src/common/names.js';
import { BUCKET_ACTIONS_DENIED_EXCEPT_BREAK_GLASS } from '../../src/infra/evidence-bucket.js';
import { KEY_ACTIONS_DENIED_EXCEPT_BREAK_GLASS } from '../../src/infra/kms.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { exampleConfig } from './fixture.js';

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

const BREAK_GLASS = 'arn:aws-us-gov:iam::111111111111:role/break-glass';
/** Roles services receive through iam:PassRole; see src/infra/trust.ts for why they carry no source condition. */
const PASS_ROLE_SERVICES = new Set(['ec2.amazonaws.com', 'eks.amazonaws.com', 'capabilities.eks.amazonaws.com']);

function devResources(breakGlassRoleArn?: string): Resource[] {
  const config = exampleConfig();
  const platform = breakGlassRoleArn === undefined ? config : { ...config, environments: config.environments.map((env) => ({ ...env, access: { ...env.access, breakGlassRoleArn } })) };
  const { app, stacks } = buildPlatformApp(platform, { gates: 'none', environments: ['dev'] });
  return Object.values(app.synth().getStackByName(stacks.get('dev')!.stackName).template.Resources as Record<string, Resource>);
}

const statementsOf = (document: unknown) => (document as { Statement: Statement[] }).Statement;
const services = (statement: Statement): string[] => {
  const service = (statement.Principal as { Service?: string | string[] } | undefined)?.Service;
  return service === undefined ? [] : Array.isArray(service) ? service : [service];
};

let resources: Resource[];
let keys: Resource[];

beforeAll(() => {
  resources = devResources();
  keys = resources.filter((resource) => resource.Type === 'AWS::KMS::Key');
});

describe('KMS keys', () => {
  test('every key denies ScheduleKeyDeletion, DisableKey, DisableKeyRotation, PutKeyPolicy and RevokeGrant to all but the break-glass principal (default: the account root user)', () => {
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) {
      const deny = statementsOf(key.Properties.KeyPolicy).find((statement) => statement.Sid === 'DenyKeyDestructionExceptBreakGlass');
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*' });
      expect(new Set([deny!.Action].flat())).toEqual(new Set(['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:RevokeGrant']));
      expect(JSON.stringify(deny!.Condition)).toBe(JSON.stringify({ ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } } }));
      expect(key.Properties.BypassPolicyLockoutSafetyCheck).toBe(true);
      expect(statementsOf(key.Properties.KeyPolicy)).toContainEqual(expect.objectContaining({ Sid: 'DenyGrantsExceptForAwsResources', Effect: 'Deny', Action: 'kms:CreateGrant' }));
    }
    expect([...KEY_ACTIONS_DENIED_EXCEPT_BREAK_GLASS]).toHaveLength(5);
  });

  test('GIVEN access.breakGlassRoleArn THEN every key and the evidence bucket exempt exactly that role', () => {
    const configured = devResources(BREAK_GLASS);
    const denies = configured.flatMap((resource) => {
      const document = resource.Type === 'AWS::KMS::Key' ? resource.Properties.KeyPolicy : resource.Type === 'AWS::S3::BucketPolicy' ? resource.Properties.PolicyDocument : undefined;
      return document ? statementsOf(document).filter((statement) => /ExceptBreakGlass$/.test(statement.Sid ?? '')) : [];
    });
    expect(denies.length).toBe(configured.filter((resource) => resource.Type === 'AWS::KMS::Key').length + 1);
    for (const deny of denies) expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } });
  });

  test('every Allow to a service principal in a key policy carries source conditions', () => {
    const grants = keys.flatMap((key) => statementsOf(key.Properties.KeyPolicy).filter((statement) => statement.Effect === 'Allow' && services(statement).length > 0));
    expect(grants.length).toBeGreaterThanOrEqual(2);
    for (const grant of grants) {
      const [service] = services(grant);
      if (service === 'logging.s3.amazonaws.com') {
        expect(grant.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': expect.arrayContaining([expect.objectContaining({ 'Fn::Join': expect.anything() })]) } });
        expect(JSON.stringify(grant.Condition)).toContain(':s3:::fedplat-dev-evidence-111111111111-us-gov-west-1');
        expect(JSON.stringify(grant.Condition)).toContain(':s3:::fedplat-dev-logs-111111111111-us-gov-west-1');
      } else {
        expect(service).toMatch(/^logs\.us-gov-west-1\.amazonaws\.com$/);
        expect(JSON.stringify(grant.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn'])).toMatch(/:logs:us-gov-west-1:111111111111:log-group:/);
      }
    }
  });
});

describe('the evidence bucket policy', () => {
  function evidencePolicyResource(): Resource {
    const policy = resources.find(
      (resource) => resource.Type === 'AWS::S3::BucketPolicy' && statementsOf(resource.Properties.PolicyDocument).some((statement) => statement.Sid === 'DenyBucketDestructionExceptBreakGlass'),
    );
    expect(policy).toBeDefined();
    return policy!;
  }
  const evidencePolicy = (): Statement[] => statementsOf(evidencePolicyResource().Properties.PolicyDocument);

  test('the policy outlives the stack (deleting it is denied, so the stack must not try)', () => {
    expect(evidencePolicyResource().DeletionPolicy).toBe('Retain');
  });

  test('denies deleting the bucket and changing its Object Lock configuration, policy or encryption to all but break-glass', () => {
    const deny = evidencePolicy().find((statement) => statement.Sid === 'DenyBucketDestructionExceptBreakGlass')!;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(new Set([deny.Action].flat())).toEqual(new Set(['s3:DeleteBucket', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutEncryptionConfiguration']));
    expect(deny.Condition).toHaveProperty(['ArnNotEquals', 'aws:PrincipalArn']);
    expect([...BUCKET_ACTIONS_DENIED_EXCEPT_BREAK_GLASS]).toHaveLength(5);
  });

  test('denies puts naming another KMS key or another encryption than SSE-KMS', () => {
    const statements = evidencePolicy();
    const otherKey = statements.find((statement) => statement.Sid === 'DenyPutsWithAnotherKey')!;
    expect(otherKey).toMatchObject({ Effect: 'Deny', Action: 's3:PutObject' });
    expect(otherKey.Condition?.StringNotEqualsIfExists?.['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EvidenceKey/), 'Arn'] });
    const otherAlgorithm = statements.find((statement) => statement.Sid === 'DenyPutsWithoutSseKms')!;
    expect(otherAlgorithm).toMatchObject({ Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
  });
});

describe('trust policies', () => {
  const trusts = () =>
    resources
      .filter((resource) => resource.Type === 'AWS::IAM::Role')
      .flatMap((role) => statementsOf(role.Properties.AssumeRolePolicyDocument).filter((statement) => statement.Effect === 'Allow'));

  test('every service-principal trust carries source conditions, except the PassRole-bound EC2, EKS and capability roles', () => {
    const conditioned = trusts().filter((statement) => services(statement).some((service) => !PASS_ROLE_SERVICES.has(service)));
    expect(conditioned.length).toBeGreaterThanOrEqual(5);
    for (const statement of conditioned) expect(statement.Condition, JSON.stringify(statement)).toBeDefined();
  });

  test('Pod Identity roles are limited to their cluster, namespace and service account by the session tags', () => {
    const pods = trusts().filter((statement) => services(statement).includes('pods.eks.amazonaws.com'));
    expect(pods.length).toBe(5);
    const accounts = new Set<string>();
    for (const statement of pods) {
      expect([statement.Action].flat().sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      const tags = statement.Condition!.StringEquals!;
      expect(tags['aws:RequestTag/eks-cluster-arn']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] });
      accounts.add(`${tags['aws:RequestTag/kubernetes-namespace']}/${tags['aws:RequestTag/kubernetes-service-account']}`);
    }
    expect(accounts).toEqual(new Set(['kube-system/aws-node', 'kube-system/ebs-csi-controller-sa', `${WORKLOADS.falcosidekick.namespace}/${WORKLOADS.falcosidekick.serviceAccount}`, `${WORKLOADS.cisCollector.namespace}/${WORKLOADS.cisCollector.serviceAccount}`, `${WORKLOADS.clusterAutoscaler.namespace}/${WORKLOADS.clusterAutoscaler.serviceAccount}`]));
  });

  test('the flow-log role trusts VPC Flow Logs only for this account\'s flow logs', () => {
    const [statement] = trusts().filter((entry) => services(entry).includes('vpc-flow-logs.amazonaws.com'));
    expect(statement!.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    expect(JSON.stringify(statement!.Condition!.ArnLike)).toMatch(/:ec2:us-gov-west-1:111111111111:vpc-flow-log\/\*/);
  });

  test('the node role uses AmazonEC2ContainerRegistryPullOnly, not ReadOnly', () => {
    const text = JSON.stringify(resources);
    expect(text).toContain('policy/AmazonEC2ContainerRegistryPullOnly');
    expect(text).not.toContain('AmazonEC2ContainerRegistryReadOnly');
  });
});
