/**
 * `config validate` refuses what AWS would refuse at deploy time, with exit 2 and `file:line:col`,
 * instead of an "internal error" at synth or a failed deployment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { UserInputError } from '../../src/common/errors.js';
import { ADR_RULES } from '../../src/gates/adr-catalogue.js';
import { CLUSTER_ADMIN_RULE, networkOf, parsePlatformModel } from '../../src/config/index.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';
import { userInputErrorOf } from '../support/refusal.js';

function errorOf(text: string): UserInputError {
  return userInputErrorOf(() => parsePlatformModel('platform.yaml', text), 'the config');
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

const DEV_ADMIN = 'clusterAdminRoleArns: [arn:aws-us-gov:iam::111111111111:role/EXAMPLE-platform-admin]';

describe('config validate refuses what AWS would refuse, with a position', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'aws-acceptance-'));
  const validate = async (text: string) => {
    const file = join(workDir, 'platform.yaml');
    writeFileSync(file, text);
    return runCli(['--config', file, 'config', 'validate']);
  };

  test.each([
    [
      'an evidence bucket name over 63 characters',
      EXAMPLE_CONFIG_TEXT.replace('project: fedplat', 'project: fedplat-agency-platform').replace(/- name: dev\b/, '- name: development-east-01').replace(/\bdev\b(?=[,\]])/, 'development-east-01'),
      /environments\[0\]\.name: the evidence bucket name fedplat-agency-platform-development-east-01-evidence-111111111111-us-gov-west-1 has 79 characters, S3 allows 63/,
    ],
    ['more zones than the region has', EXAMPLE_CONFIG_TEXT.replace('        maxAzs: 3\n        natGateways: 1\n', '        maxAzs: 6\n        natGateways: 1\n'), /environments\[0\]\.network\.createVpc\.maxAzs: us-gov-west-1 has 3 availability zones \(us-gov-west-1a, us-gov-west-1b, us-gov-west-1c\); maxAzs 6 asks for more/],
    ['a cross-partition admin ARN', EXAMPLE_CONFIG_TEXT.replace(DEV_ADMIN, 'clusterAdminRoleArns: [arn:aws:iam::111111111111:role/EXAMPLE-platform-admin]'), /environments\[0\]\.access\.clusterAdminRoleArns\[0\]: arn:aws:iam::111111111111:role\/EXAMPLE-platform-admin is in partition aws, but environment dev is in us-gov-west-1 \(partition aws-us-gov\)/],
    ['a VPC CIDR with host bits set', EXAMPLE_CONFIG_TEXT.replace('cidr: 10.10.0.0/16', 'cidr: 10.10.5.7/16'), /environments\[0\]\.network\.createVpc\.cidr: 10\.10\.5\.7\/16 has host bits set.*the VPC range 10\.10\.0\.0\/16 contains it/],
  ])('%s: exit 2, file:line:col, nothing else', async (_what, text, message) => {
    const run = await validate(text);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`platform\\.yaml:\\d+:\\d+: ${message.source}`));
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  test('the example validates', async () => {
    expect((await validate(EXAMPLE_CONFIG_TEXT)).code).toBe(0);
    rmSync(workDir, { recursive: true, force: true });
  });
});

describe('each check', () => {
  test('an environment without an admin is refused with ADR15-ACCESS-1 and the setting to add', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace(`    access:\n      # EXAMPLE role: replace with your platform administrators' role (same partition as the region).\n      ${DEV_ADMIN}\n`, '');
    expect(text).not.toBe(EXAMPLE_CONFIG_TEXT);
    const error = errorOf(text);
    expect(error.rule).toBe('ADR15-ACCESS-1');
    expect(CLUSTER_ADMIN_RULE).toBe(ADR_RULES.clusterAdmin.id);
    expect(error.format()).toMatch(/^platform\.yaml:21:5: environments\[0\]\.access: \[ADR15-ACCESS-1\] environment dev has no cluster admin.*add `access\.clusterAdminRoleArns: \[arn:aws-us-gov:iam::111111111111:role\/<admin role>\]`/);
  });

  test('the error points at the offending line and column', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('cidr: 10.10.0.0/16', 'cidr: 10.10.5.7/16');
    expect(errorOf(text).position).toEqual({ file: 'platform.yaml', line: lineOf(text, '10.10.5.7/16'), col: 15 });
  });

  test('host bits in a public or private access CIDR name the network that contains it', () => {
    const text = EXAMPLE_CONFIG_TEXT.replace('cidrs: [10.200.0.0/16]', 'cidrs: [10.9.255.0/16]');
    expect(errorOf(text).format()).toMatch(/environments\[2\]\.endpointAccess\.privateAccess\.cidrs\[0\]: 10\.9\.255\.0\/16 has host bits set.*network 10\.9\.0\.0\/16/);
  });

  test('public CIDRs: none broader than the configured minimum prefix (never looser than /16), no host bits', () => {
    const publicWith = (cidrs: string, minimum = '') =>
      EXAMPLE_CONFIG_TEXT.replace('        natGateways: 1\n    nodeGroups:', `        natGateways: 1\n    endpointAccess:\n      mode: public-and-private\n      publicCidrs: [${cidrs}]\n${minimum}    nodeGroups:`);
    expect(errorOf(publicWith('10.0.0.0/8')).format()).toMatch(/publicCidrs\[0\]: 10\.0\.0\.0\/8 is broader than \/16/);
    expect(errorOf(publicWith('203.0.113.0/24', '      minimumPublicPrefix: 26\n')).format()).toMatch(/publicCidrs\[0\]: 203\.0\.113\.0\/24 is broader than \/26/);
    expect(errorOf(publicWith('203.0.113.0/24', '      minimumPublicPrefix: 8\n')).format()).toMatch(/minimumPublicPrefix/);
    expect(errorOf(publicWith('203.0.113.7/24')).format()).toMatch(/publicCidrs\[0\]: 203\.0\.113\.7\/24 has host bits set.*network 203\.0\.113\.0\/24/);
    expect(parsePlatformModel('platform.yaml', publicWith('203.0.113.0/24')).environments[0]!.endpointAccess.publicCidrs).toEqual(['203.0.113.0/24']);
  });

  test('zones: names the region does not have, and regions whose letters differ between accounts', () => {
    const named = EXAMPLE_CONFIG_TEXT.replace('        maxAzs: 3\n        natGateways: 1\n', '        maxAzs: 3\n        natGateways: 1\n        availabilityZones: [us-gov-west-1a, us-gov-west-1d]\n');
    expect(errorOf(named).format()).toMatch(/availabilityZones\[1\]: us-gov-west-1 has no zone us-gov-west-1d; it has us-gov-west-1a, us-gov-west-1b, us-gov-west-1c/);
    const usWest1 = EXAMPLE_CONFIG_TEXT.replace('region: us-gov-west-1\n    kubernetesVersion: "1.33"\n    network:\n      createVpc:\n        cidr: 10.10.0.0/16', 'region: us-west-1\n    kubernetesVersion: "1.33"\n    network:\n      createVpc:\n        cidr: 10.10.0.0/16');
    expect(errorOf(usWest1).format()).toMatch(/us-west-1's zone letters differ between accounts; name yours/);
  });

  test('EBS performance: gp3 throughput per IOPS and IOPS per GiB', () => {
    const volume = (spec: string) => EXAMPLE_CONFIG_TEXT.replace('        instanceTypes: [m7i.large]\n', `        instanceTypes: [m7i.large]\n        dataVolume: ${spec}\n`);
    expect(errorOf(volume('{ throughputMiBps: 1000 }')).format()).toMatch(/dataVolume\.throughputMiBps: gp3 throughput is at most 0\.25 MiB\/s per IOPS: 3000 IOPS allow 750 MiB\/s/);
    expect(errorOf(volume('{ sizeGiB: 20, iops: 16000 }')).format()).toMatch(/dataVolume\.iops: gp3 allows at most 500 IOPS per GiB: 20 GiB takes at most 10000/);
    expect(errorOf(volume('{ type: gp2, throughputMiBps: 200 }')).format()).toMatch(/throughput can only be set on gp3/);
  });

  test('networkOf names the network a CIDR with host bits belongs to', () => {
    expect(networkOf('10.10.5.7/16')).toEqual({ base: 0x0a0a0000, prefix: 16, hostBitsSet: true });
    expect(networkOf('10.10.0.0/16').hostBitsSet).toBe(false);
  });
});
