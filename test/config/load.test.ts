import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { UserInputError } from '../../src/common/errors.js';
import { parseConfig } from '../../src/config/index.js';
import { userInputErrorOf } from '../support/refusal.js';

const example = readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8');

function errorOf(text: string): UserInputError {
  return userInputErrorOf(() => parseConfig('platform.yaml', text), 'the config');
}

describe('parseConfig', () => {
  test('GIVEN the example platform.yaml THEN it loads with three environments in promotion order', () => {
    const { config } = parseConfig('platform.yaml', example);
    expect(config.environments.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
    expect(config.promotion.order).toEqual(['dev', 'staging', 'prod']);
    expect(config.environments[0]!.endpointAccess.mode).toBe('private');
  });

  test('a short release version is refused with file, line, column and field path', () => {
    const error = errorOf(example.replace('releaseVersion: 1.47.0-6154605b', 'releaseVersion: 1.34.0'));
    expect(error.format()).toMatch(/^platform\.yaml:38:25: environments\[0\]\.nodeGroups\[0\]\.releaseVersion: must be a pinned Bottlerocket release/);
  });

  test.each([
    ['httpPutResponseHopLimit: 2', 'ADR15-IMDS-1'],
    ['amiId: ami-0123456789abcdef0', 'ADR15-SEAL-1'],
    ['userData: "[settings]"', 'ADR15-SEAL-1'],
    ['remoteAccess: {}', 'ADR15-SSM-1'],
  ])('a node group setting %s is refused with rule %s', (line, rule) => {
    const error = errorOf(example.replace('        releaseVersion: 1.47.0-6154605b\n        labels:', `        ${line}\n        releaseVersion: 1.47.0-6154605b\n        labels:`));
    expect(error.rule).toBe(rule);
    expect(error.format()).toMatch(new RegExp(`^platform\\.yaml:38:9: environments\\[0\\]\\.nodeGroups\\[0\\]\\.\\w+: \\[${rule}\\]`));
  });

  test('an unknown key names the key and its position', () => {
    const error = errorOf(example.replace('    kubernetesVersion: "1.33"\n    network:\n      createVpc:\n        cidr: 10.10.0.0/16', '    kubernetesVersion: "1.33"\n    colour: blue\n    network:\n      createVpc:\n        cidr: 10.10.0.0/16'));
    expect(error.format()).toMatch(/^platform\.yaml:25:5: environments\[0\]\.colour: unknown field `colour`/);
  });

  test('an environment missing from promotion.order is refused', () => {
    const error = errorOf(example.replace('order: [dev, staging, prod]', 'order: [dev, prod]'));
    expect(error.format()).toMatch(/environments\[1\]\.name: environment "staging" is missing from promotion\.order/);
  });

  test('broken YAML is refused with its position', () => {
    const error = errorOf('project: [unclosed\n');
    expect(error.format()).toMatch(/^platform\.yaml:\d+:\d+: invalid YAML/);
  });

  test('a Kubernetes version that is not a quoted minor is refused', () => {
    const error = errorOf(example.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: 1.33.2'));
    expect(error.field).toBe('environments[0].kubernetesVersion');
  });

  test('an error inside a union alternative names the field the user wrote, not "Invalid input"', () => {
    const error = errorOf(example.replace('cidr: 10.10.0.0/16', 'cidr: 10.10.0.0/99'));
    expect(error.format()).toMatch(/^platform\.yaml:27:15: environments\[0\]\.network\.createVpc\.cidr: Invalid IPv4 range/);
  });

  test('a misspelt network alternative is named as an unknown field', () => {
    const error = errorOf(example.replace('      createVpc:\n        cidr: 10.10.0.0/16', '      createVpcc:\n        cidr: 10.10.0.0/16'));
    expect(error.format()).toMatch(/platform\.yaml:26:7: environments\[0\]\.network\.createVpcc: unknown field `createVpcc`/);
  });
});
