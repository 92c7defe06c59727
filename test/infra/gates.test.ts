/**
 * The synth-time gates on the example platform: Control Tower (the full cfn-guard rule set, run
 * directly as the acceptance check does), cdk-nag and the ADR rules, and how acknowledged
 * findings stay visible.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gateFindingSchema } from '../../src/gates/finding.js';
import { attachSynthGates, controlTowerRuleFiles } from '../../src/infra/gates/index.js';
import { synthesizePlatform, type SynthesizedEnvironment } from '../../src/infra/synthesize.js';
import { exampleConfig, govStack } from './fixture.js';

const validatorRoot = join(dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')), '..');
const guardBinary = join(validatorRoot, 'bin', 'ubuntu', process.arch === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
const controlTowerRules = join(validatorRoot, 'rules', 'control-tower', 'cfn-guard');

let environments: ReadonlyMap<string, SynthesizedEnvironment>;
let templatesDir: string;

beforeAll(async () => {
  environments = await synthesizePlatform(exampleConfig());
  templatesDir = mkdtempSync(join(tmpdir(), 'gates-test-'));
  for (const env of environments.values()) writeFileSync(join(templatesDir, `${env.stackName}.template.json`), JSON.stringify(env.template));
});

afterAll(() => rmSync(templatesDir, { recursive: true, force: true }));

interface GuardResult {
  readonly name: string;
  readonly not_compliant?: ReadonlyArray<{ readonly Rule?: { readonly name: string } }>;
  readonly compliant: readonly string[];
}

let fullRun: Promise<GuardResult[]> | undefined;

/**
 * cfn-guard with the whole Control Tower rule set over the three templates, run once and
 * asynchronously (a long synchronous run blocks the test worker's event loop).
 */
function fullRuleSetResults(): Promise<GuardResult[]> {
  const files = [...environments.values()].map((env) => join(templatesDir, `${env.stackName}.template.json`));
  fullRun ??= new Promise<GuardResult[]>((resolvePromise, reject) => {
    const args = ['validate', '--rules', controlTowerRules, ...files.flatMap((file) => ['--data', file]), '--output-format', 'json', '--show-summary', 'none', '--structured'];
    execFile(guardBinary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      // cfn-guard exits 19 when a rule fails; its stdout still holds the results.
      if (error && (error as { code?: unknown }).code !== 19) reject(error);
      else resolvePromise(JSON.parse(stdout) as GuardResult[]);
    });
  });
  return fullRun;
}

describe('the example platform', () => {
  test('cfn-guard with the whole Control Tower rule set reports no FAIL on any synthesized template', async () => {
    expect(environments.size).toBe(3);
    const results = await fullRuleSetResults();
    expect(results).toHaveLength(3);
    const failures = results.flatMap((result) => (result.not_compliant ?? []).map((rule) => `${result.name}: ${rule.Rule?.name ?? JSON.stringify(rule).slice(0, 200)}`));
    expect(failures).toEqual([]);
  });

  test('every environment has zero failed findings and every finding has the gates.json shape', () => {
    for (const env of environments.values()) {
      for (const finding of env.findings) gateFindingSchema.parse(finding);
      expect(env.findings.filter((finding) => finding.result === 'fail')).toEqual([]);
      const sources = new Set(env.findings.map((finding) => finding.source));
      expect(sources).toEqual(new Set(['AwsSolutions', 'NIST.800.53.R5', 'control-tower', 'ADR-15']));
      expect(env.findings.every((finding) => finding.resource.startsWith(env.stackName))).toBe(true);
    }
  });

  test('built-in accepted findings are suppressed, not hidden, and each carries a written reason', () => {
    const dev = environments.get('dev')!;
    const suppressed = dev.findings.filter((finding) => finding.result === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((finding) => (finding.reason ?? '').length >= 20)).toBe(true);
    expect(suppressed.map((finding) => finding.id)).toContain('NIST.800.53.R5-S3BucketReplicationEnabled');
  });

  test('every node group is Bottlerocket with a pinned release and a sealed launch template; no node role has SSM', () => {
    for (const env of environments.values()) {
      const resources = Object.values(env.template.Resources ?? {});
      const nodegroups = resources.filter((resource) => resource.Type === 'AWS::EKS::Nodegroup');
      expect(nodegroups.length).toBeGreaterThan(0);
      for (const nodegroup of nodegroups) {
        expect(nodegroup.Properties?.AmiType).toMatch(/^BOTTLEROCKET_/);
        expect(nodegroup.Properties?.ReleaseVersion).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{8}$/);
      }
      for (const lt of resources.filter((resource) => resource.Type === 'AWS::EC2::LaunchTemplate')) {
        const data = lt.Properties?.LaunchTemplateData as Record<string, Record<string, unknown>>;
        expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
        expect(data.ImageId).toBeUndefined();
        expect(data.UserData).toBeUndefined();
      }
      expect(JSON.stringify(env.template)).not.toContain('AmazonSSMManagedInstanceCore');
      expect(JSON.stringify(env.template)).not.toContain('arn:aws:');
    }
  });
});

describe('gate recording', () => {
  async function bucketGates(acknowledge: boolean) {
    const stack = govStack();
    const bucket = new s3.Bucket(stack, 'Plain');
    if (acknowledge) Validations.of(bucket).acknowledge({ id: 'ct-s3-pr-2', reason: 'test: this bucket is only a fixture' }, { id: 'AwsSolutions-S1', reason: 'test: this bucket is only a fixture' });
    const app = stack.node.root as import('aws-cdk-lib').App;
    const gates = attachSynthGates(app);
    app.synth();
    return (await gates.findings()).filter((finding) => finding.resource === 'Test/Plain/Resource');
  }

  test('GIVEN a plain bucket THEN Control Tower and cdk-nag violations are recorded as failures with their ids', async () => {
    const findings = await bucketGates(false);
    expect(findings).toContainEqual(expect.objectContaining({ id: 'ct-s3-pr-2', source: 'control-tower', result: 'fail' }));
    expect(findings).toContainEqual(expect.objectContaining({ id: 'AwsSolutions-S1', source: 'AwsSolutions', result: 'fail' }));
    expect(findings).toContainEqual(expect.objectContaining({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', result: 'fail' }));
  });

  test('GIVEN acknowledgements THEN those findings are suppressed with the reason and the rest still fail', async () => {
    const findings = await bucketGates(true);
    expect(findings).toContainEqual(expect.objectContaining({ id: 'ct-s3-pr-2', result: 'suppressed', reason: 'test: this bucket is only a fixture' }));
    expect(findings).toContainEqual(expect.objectContaining({ id: 'AwsSolutions-S1', result: 'suppressed' }));
    expect(findings).toContainEqual(expect.objectContaining({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', result: 'fail' }));
  });
});

describe('Control Tower rule selection', () => {
  test('GIVEN a stack breaking several controls THEN the gate reports exactly the rules the full rule set fails', async () => {
    const stack = govStack();
    new s3.Bucket(stack, 'Plain');
    new ec2.CfnLaunchTemplate(stack, 'Unmonitored', { launchTemplateData: { metadataOptions: { httpTokens: 'optional' } } });
    new ec2.CfnSubnet(stack, 'PublicIp', { vpcId: 'vpc-0abc12345def67890', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: true });
    new kms.Key(stack, 'NoRotation', { enableKeyRotation: false });
    const app = stack.node.root as import('aws-cdk-lib').App;
    const gates = attachSynthGates(app);
    const assembly = app.synth();
    const templatePath = assembly.getStackByName(stack.stackName).templateFullPath;
    let output: string;
    try {
      output = execFileSync(guardBinary, ['validate', '--rules', controlTowerRules, '--data', templatePath, '--output-format', 'json', '--show-summary', 'none', '--structured'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    const fullRun = new Set((JSON.parse(output) as GuardResult[]).flatMap((result) => (result.not_compliant ?? []).map((rule) => rule.Rule!.name)));
    const ruleNames = new Map(controlTowerRuleFiles().flatMap((file) => file.ruleNames.map((name) => [name, file.id] as const)));
    const expected = new Set([...fullRun].map((name) => ruleNames.get(name)));
    const findings = await gates.findings();
    const reported = new Set(findings.filter((finding) => finding.source === 'control-tower' && finding.result === 'fail').map((finding) => finding.id));
    expect(expected.size).toBeGreaterThanOrEqual(5);
    expect(expected).toContain('ct-kms-pr-1');
    expect(reported).toEqual(expected);
    expect(findings).toContainEqual(expect.objectContaining({ id: 'ct-ec2-pr-10', resource: 'Test/Unmonitored', result: 'fail' }));
  });
});

describe('honest results', () => {
  test('GIVEN a launch template without block device mappings THEN ct-ec2-pr-14 (EBS encryption) is not applicable, never a pass', async () => {
    const stack = govStack();
    new ec2.CfnLaunchTemplate(stack, 'Sealed', { launchTemplateData: { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 }, monitoring: { enabled: true } } });
    const app = stack.node.root as import('aws-cdk-lib').App;
    const gates = attachSynthGates(app);
    app.synth();
    const findings = (await gates.findings()).filter((finding) => finding.source === 'control-tower');
    expect(findings.filter((finding) => finding.id === 'ct-ec2-pr-14')).toEqual([
      expect.objectContaining({ result: 'not-applicable', resource: 'Test', reason: expect.stringMatching(/^cfn-guard skipped it/) }),
    ]);
    expect(findings).toContainEqual(expect.objectContaining({ id: 'ct-ec2-pr-10', result: 'pass' }));
  });

  test('GIVEN one stack with subnets and one on an existing VPC (none) THEN the subnet control passes only where there are subnets', async () => {
    const withSubnets = govStack();
    new ec2.CfnSubnet(withSubnets, 'Private', { vpcId: 'vpc-0abc12345def67890', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: false });
    const app = withSubnets.node.root as import('aws-cdk-lib').App;
    const existing = new (await import('aws-cdk-lib')).Stack(app, 'Existing', { env: { account: '111111111111', region: 'us-gov-west-1' } });
    new s3.Bucket(existing, 'Plain');
    const gates = attachSynthGates(app);
    app.synth();
    const subnetControl = (await gates.findings()).filter((finding) => finding.id === 'ct-ec2-pr-11');
    expect(subnetControl).toContainEqual(expect.objectContaining({ resource: 'Test', result: 'pass' }));
    expect(subnetControl).toContainEqual(expect.objectContaining({ resource: 'Existing', result: 'not-applicable' }));
  });

  test('GIVEN the example THEN no Control Tower pass is a cfn-guard skip: every pass is a rule cfn-guard found compliant on that template', async () => {
    const results = new Map((await fullRuleSetResults()).map((result) => [result.name, result]));
    for (const env of environments.values()) {
      const result = results.get(join(templatesDir, `${env.stackName}.template.json`));
      expect(result).toBeDefined();
      const compliantFiles = new Set(controlTowerRuleFiles().filter((ruleFile) => ruleFile.ruleNames.some((name) => result!.compliant.includes(name))).map((ruleFile) => ruleFile.id));
      const passes = env.findings.filter((finding) => finding.source === 'control-tower' && finding.result === 'pass').map((finding) => finding.id);
      expect(passes.length).toBeGreaterThan(0);
      for (const id of passes) expect(compliantFiles).toContain(id);
      expect(env.findings.filter((finding) => finding.source === 'control-tower' && finding.result === 'not-applicable').every((finding) => !compliantFiles.has(finding.id))).toBe(true);
    }
  });

  test('GIVEN the aws-eks-v2 cluster THEN cdk-nag EKS rules are not applicable, naming the ADR rule that replaces them, and ADR15-LOG-1 evaluates the cluster', () => {
    const dev = environments.get('dev')!;
    for (const id of ['AwsSolutions-EKS1', 'AwsSolutions-EKS2']) {
      expect(dev.findings.filter((finding) => finding.id === id)).toEqual([expect.objectContaining({ result: 'not-applicable', reason: expect.stringMatching(/aws_eks\.CfnCluster.*ADR15-(EP|LOG)-1/) })]);
    }
    expect(dev.findings).toContainEqual(expect.objectContaining({ id: 'ADR15-LOG-1', result: 'pass', resource: expect.stringMatching(/Cluster/) }));
  });
});
