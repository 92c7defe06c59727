/** EnvironmentStack from config variants: existing VPC, public endpoint allow-list, managed Argo CD. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { EXAMPLE_CONFIG_TEXT } from './fixture.js';

const DEV_NETWORK = `    network:
      createVpc:
        cidr: 10.10.0.0/16
        maxAzs: 3
        natGateways: 1
`;
const EXISTING_NETWORK = `    network:
      existingVpc:
        vpcId: vpc-0abc12345def67890
        privateSubnetIds: [subnet-0aaa1111bbbb2222c, subnet-0ddd3333eeee4444f]
        availabilityZones: [us-gov-west-1a, us-gov-west-1b]
    endpointAccess:
      mode: public-and-private
      publicCidrs: [203.0.113.0/24]
`;
const IDC = 'arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef';

function devStack(text: string, gates: 'record' | 'none' = 'none') {
  const { app, stacks, gates: synthGates } = buildPlatformApp(parsePlatformModel('platform.yaml', text), { gates, environments: ['dev'] });
  const stack = stacks.get('dev')!;
  const assembly = app.synth();
  return { template: Template.fromStack(stack), assembly, findings: synthGates?.findings() ?? Promise.resolve([]) };
}

describe('EnvironmentStack', () => {
  test('GIVEN an existing VPC and a public allow-list THEN nodes use its subnets, no VPC is created, and nothing is looked up', () => {
    expect(EXAMPLE_CONFIG_TEXT).toContain(DEV_NETWORK);
    const { template, assembly } = devStack(EXAMPLE_CONFIG_TEXT.replace(DEV_NETWORK, EXISTING_NETWORK));
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { Subnets: ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f'] });
    template.hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: { EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] } });
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('GIVEN the example THEN synthesis needs no context lookups (offline, no credentials)', () => {
    expect(devStack(EXAMPLE_CONFIG_TEXT).assembly.manifest.missing ?? []).toEqual([]);
  });

  test('GIVEN managed Argo CD with an Identity Center instance THEN the capability is created and passes the gates', async () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('  controller: flux\n', `  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: ${IDC}\n`);
    const { template, findings } = devStack(text, 'record');
    template.hasResourceProperties('AWS::EKS::Capability', {
      Type: 'ARGOCD',
      DeletePropagationPolicy: 'RETAIN',
      Configuration: { ArgoCd: { AwsIdc: { IdcInstanceArn: IDC }, Namespace: 'argocd' } },
    });
    expect((await findings).filter((finding) => finding.result === 'fail')).toEqual([]);
  });

  test('GIVEN managed Argo CD without an Identity Center instance THEN synthesis refuses with the field to set', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('  controller: flux\n', '  controller: argocd\n  managedArgoCd: true\n');
    expect(() => devStack(text)).toThrow(UserInputError);
    expect(() => devStack(text)).toThrow(/Identity Center/);
  });
});

describe('the cdk.json app', () => {
  test('GIVEN `node build/infra/app.js` as the CDK CLI runs it THEN it synthesizes every environment offline with the gates attached', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
    try {
      const run = spawnSync(process.execPath, ['build/infra/app.js'], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { PATH: process.env.PATH, CDK_OUTDIR: outdir },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(readdirSync(outdir).filter((file) => file.endsWith('.template.json')).sort()).toEqual([
        'fedplat-dev.template.json',
        'fedplat-prod.template.json',
        'fedplat-staging.template.json',
      ]);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { missing?: unknown[] };
      expect(manifest.missing ?? []).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
