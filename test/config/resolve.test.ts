/**
 * The resolve pass: every input problem the renderers used to find late is refused here, with
 * file:line:col and the field path, by `config validate` and `synth` alike (before any CDK work).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UserInputErrors } from '../../src/common/errors.js';
import { instanceArchitecture, parsePlatformModel } from '../../src/config/index.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';
import { userInputErrorOf } from '../support/refusal.js';

function replaced(text: string, from: string | RegExp, to: string): string {
  const result = text.replace(from, to);
  if (result === text) throw new Error(`fixture edit found nothing to replace: ${String(from)}`);
  return result;
}

/** The five configs that `synth` used to refuse only after CDK work (or with an internal error). */
const REFUSED: ReadonlyArray<readonly [what: string, text: string, expected: RegExp]> = [
  [
    'an arm64 node group with an x86 instance type',
    replaced(EXAMPLE_CONFIG_TEXT, 'instanceTypes: [m7g.xlarge]', 'instanceTypes: [m7i.xlarge]'),
    /^platform\.yaml:85:25: environments\[1\]\.nodeGroups\[1\]\.instanceTypes\[0\]: instance type m7i\.xlarge does not match architecture arm64 of node group "graviton"; pick Graviton/,
  ],
  [
    'managedArgoCd without an Identity Center instance ARN',
    replaced(EXAMPLE_CONFIG_TEXT, '  controller: flux\n', '  controller: argocd\n  managedArgoCd: true\n'),
    /^platform\.yaml:14:3: gitops\.identityCenterInstanceArn: managedArgoCd needs the IAM Identity Center instance ARN/,
  ],
  [
    'Argo CD without a repository',
    replaced(EXAMPLE_CONFIG_TEXT, /  controller: flux\n  repository:\n    url: .*\n    branch: main\n    path: clusters\n/, '  controller: argocd\n'),
    /^platform\.yaml:14:3: gitops\.repository: `gitops\.controller: argocd` needs `gitops\.repository`/,
  ],
  [
    'a CIS image outside the expected repository',
    replaced(EXAMPLE_CONFIG_TEXT, 'amazonaws.com/bottlerocket-eks-cis-collector:0.1.0', 'amazonaws.com/cis-scanner:0.1.0'),
    /^platform\.yaml:52:14: environments\[0\]\.cis\.image: the CIS collector image must come from a repository named bottlerocket-eks-cis-collector .* got cis-scanner\n?$/,
  ],
  [
    'an evidence bucket name over 63 characters',
    replaced(EXAMPLE_CONFIG_TEXT, 'project: fedplat\n', 'project: fedplat-platform-example\n'),
    /^platform\.yaml:21:11: environments\[0\]\.name: the evidence bucket name fedplat-platform-example-dev-evidence-111111111111-us-gov-west-1 has 64 characters, S3 allows 63/,
  ],
];

describe('GIVEN a config the resolve pass refuses', () => {
  test.each(REFUSED)('%s THEN parsePlatformModel refuses it with position and field path', (_what, text, expected) => {
    const error = userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config');
    expect(error.format().split('\n')[0]).toMatch(expected);
  });

  describe('WHEN the CLI reads it', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'resolve-cli-'));
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    test.each(REFUSED.map(([what, text, expected], index) => [what, text, expected, index] as const))(
      '%s THEN `config validate` and `synth` exit 2 with the same positioned message and write nothing',
      async (_what, text, expected, index) => {
        const caseDir = join(dir, `case-${index}`);
        await mkdir(caseDir);
        await writeFile(join(caseDir, 'platform.yaml'), text);
        const config = join(caseDir, 'platform.yaml');
        const validate = await runCli(['--config', config, 'config', 'validate']);
        const synth = await runCli(['--config', config, 'synth', '--out', join(caseDir, 'dist')]);
        expect(validate.code).toBe(2);
        expect(synth.code).toBe(2);
        expect(validate.stderr.replace(/^error: /, '').replace(`${caseDir}/`, '')).toMatch(expected);
        expect(synth.stderr).toBe(validate.stderr);
        expect(await readdir(caseDir)).toEqual(['platform.yaml']);
      },
    );
  });

  test('WHEN it has several problems THEN all are reported at once', () => {
    const text = replaced(replaced(EXAMPLE_CONFIG_TEXT, 'instanceTypes: [m7g.xlarge]', 'instanceTypes: [m7i.xlarge]'), '  controller: flux\n', '  controller: argocd\n  managedArgoCd: true\n');
    const error = userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config');
    expect(error).toBeInstanceOf(UserInputErrors);
    expect((error as UserInputErrors).errors.map((e) => e.field)).toEqual(['environments[1].nodeGroups[1].instanceTypes[0]', 'gitops.identityCenterInstanceArn']);
  });

  test('WHEN a created VPC is too small for its subnets THEN the CIDR is refused with the size that fits', () => {
    const error = userInputErrorOf(() => parsePlatformModel('platform.yaml', replaced(EXAMPLE_CONFIG_TEXT, 'cidr: 10.10.0.0/16', 'cidr: 10.10.0.0/18')), 'the config');
    expect(error.format()).toMatch(
      /^platform\.yaml:27:15: environments\[0\]\.network\.createVpc\.cidr: 10\.10\.0\.0\/18 has 16384 addresses, but 3 zones with a \/24 public subnet and a \/19 nodes subnet each need 25344: use a \/17 or larger/,
    );
  });

  test('WHEN the CIS image repository would break a Falco condition THEN it is refused', () => {
    const text = replaced(EXAMPLE_CONFIG_TEXT, '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/bottlerocket-eks-cis-collector', 'registry.example/a"b/bottlerocket-eks-cis-collector');
    expect(userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config').format()).toMatch(/environments\[0\]\.cis\.image: .* cannot be used in a Falco rule condition/);
  });
});

describe('GIVEN the example config', () => {
  const model = parsePlatformModel('platform.yaml', EXAMPLE_CONFIG_TEXT);
  const staging = model.environments.find((env) => env.name === 'staging')!;

  test('THEN the model carries every derived name', () => {
    expect(staging).toMatchObject({
      index: 1,
      partition: 'aws-us-gov',
      clusterName: 'fedplat-staging',
      stackName: 'fedplat-staging',
      clusterArn: 'arn:aws-us-gov:eks:us-gov-west-1:222222222222:cluster/fedplat-staging',
      evidenceBucketName: 'fedplat-staging-evidence-222222222222-us-gov-west-1',
      availabilityZones: ['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c'],
      cisImageRepository: 'bottlerocket-eks-cis-collector',
    });
    expect(staging.argoCd).toBeUndefined();
  });

  test('THEN every node group has its Bottlerocket AMI type', () => {
    expect(staging.nodeGroups.map((group) => [group.name, group.amiType])).toEqual([
      ['general', 'BOTTLEROCKET_x86_64_FIPS'],
      ['graviton', 'BOTTLEROCKET_ARM_64_FIPS'],
    ]);
  });

  test('THEN instance architectures are aws-cdk-lib\'s answer', async () => {
    const ec2 = await import('aws-cdk-lib/aws-ec2');
    for (const type of ['m7g.large', 'm7i.large', 'a1.medium', 'c6gn.xlarge', 't4g.nano', 'm5.large']) {
      expect(instanceArchitecture(type)).toBe(new ec2.InstanceType(type).architecture);
    }
  });

  test('WHEN Argo CD is managed THEN the model has the prerequisites and the cluster ARN as destination', () => {
    // In the environments' partition (GovCloud), or the resolve pass refuses it.
    const idc = 'arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef';
    const argo = parsePlatformModel('platform.yaml', replaced(EXAMPLE_CONFIG_TEXT, '  controller: flux\n', `  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: ${idc}\n`));
    expect(argo.environments[2]!.argoCd).toEqual({
      repository: { url: 'https://git.example.gov/platform/clusters.git', branch: 'main', path: 'clusters' },
      destinationServer: 'arn:aws-us-gov:eks:us-gov-west-1:333333333333:cluster/fedplat-prod',
      managedIdentityCenterInstanceArn: idc,
    });
  });
});
