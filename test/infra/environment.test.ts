/** EnvironmentStack from config variants: existing VPC, public endpoint allow-list, managed Argo CD. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { createAwsGates } from '../../src/gates/cdk/index.js';
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

function devStack(text: string, judged = false) {
  const gates = judged ? createAwsGates() : undefined;
  const { app, stacks } = buildPlatformApp(parsePlatformModel('platform.yaml', text), {
    environments: ['dev'],
    ...(gates ? { validationPlugins: gates.plugins, failSynthOnValidationErrors: false } : {}),
  });
  const stack = stacks.get('dev')!;
  const assembly = app.synth();
  return { template: Template.fromStack(stack), assembly, findings: gates ? gates.findings().then((byStack) => [...byStack.values()].flat()) : Promise.resolve([]) };
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
    const { template, findings } = devStack(text, true);
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
  test('GIVEN `node build/pipeline/cdk-app.js` as the CDK CLI runs it THEN it synthesizes every environment offline with the gates attached', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
    try {
      const run = spawnSync(process.execPath, ['build/pipeline/cdk-app.js'], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { PATH: process.env.PATH, CDK_OUTDIR: outdir, BOTTLEROCKET_EKS_DATE: '2026-12-01' },
        encoding: 'utf8',
      });
      // CDK prints the gates' warnings (the example's 1.33 in extended support, its two unpinned
      // add-ons: three per environment) and synthesizes; nothing else is reported.
      const reported = run.stderr.split('\n').filter((line) => /^(WARNING|ERROR) /.test(line));
      expect(reported).toHaveLength(9);
      expect(reported.every((line) => /^WARNING (ADR15-VER-1 fedplat-\w+\/Cluster\/Cluster\/Resource: Kubernetes 1\.33 is in EKS extended support|ADR15-PROMO-1 \w+\/addons\/(aws-ebs-csi-driver|eks-pod-identity-agent): add-on \S+ is not pinned)/.test(line))).toBe(true);
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

  test('GIVEN BOTTLEROCKET_EKS_STRICT=1 THEN the same warnings are errors and CDK synthesis fails', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-strict-'));
    try {
      const run = spawnSync(process.execPath, ['build/pipeline/cdk-app.js'], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { PATH: process.env.PATH, CDK_OUTDIR: outdir, BOTTLEROCKET_EKS_DATE: '2026-12-01', BOTTLEROCKET_EKS_STRICT: '1' },
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/^ERROR ADR15-VER-1 fedplat-dev\/Cluster\/Cluster\/Resource: Kubernetes 1\.33 is in EKS extended support/m);
      expect(run.stderr).not.toMatch(/^WARNING /m);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
