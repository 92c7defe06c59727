/**
 * The public-endpoint allow-list: config validation and ADR15-EP-1 share `publicCidrProblems`,
 * so both refuse the whole internet however it is written, and anything broader than /16.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { coversAddressSpace, MIN_PUBLIC_CIDR_PREFIX, parseIpv4Cidr, publicCidrProblems } from '../../src/common/cidr.js';
import { parseConfig } from '../../src/config/index.js';
import { userInputErrorOf } from '../support/refusal.js';

const example = readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8');

function withPublicCidrs(cidrs: readonly string[]): string {
  const text = example.replace('    nodeGroups:\n', `    endpointAccess:\n      mode: public-and-private\n      publicCidrs: [${cidrs.join(', ')}]\n    nodeGroups:\n`);
  expect(text).not.toBe(example);
  return text;
}

describe('publicCidrProblems', () => {
  test.each([
    [['0.0.0.0/0'], /broader than \/16/],
    [['0.0.0.0/1', '128.0.0.0/1'], /together cover the whole internet/],
    [['10.0.0.0/8'], /10\.0\.0\.0\/8 is broader than \/16/],
    [['203.0.113.0/24', '300.0.0.0/24'], /300\.0\.0\.0\/24 is not an IPv4 CIDR/],
  ])('GIVEN %j THEN it is refused', (cidrs, message) => {
    expect(publicCidrProblems(cidrs).map((problem) => problem.message).join('\n')).toMatch(message);
  });

  test('GIVEN a list of /16 or narrower networks THEN nothing is wrong', () => {
    expect(publicCidrProblems(['203.0.113.0/24', '198.51.100.7/32', '172.16.0.0/16'])).toEqual([]);
  });

  test('union arithmetic: halves and quarters of the address space', () => {
    const ranges = (cidrs: string[]) => cidrs.map((cidr) => parseIpv4Cidr(cidr)!);
    expect(coversAddressSpace(ranges(['0.0.0.0/1', '128.0.0.0/1']))).toBe(true);
    expect(coversAddressSpace(ranges(['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2']))).toBe(true);
    expect(coversAddressSpace(ranges(['0.0.0.0/2', '64.0.0.0/2', '192.0.0.0/2']))).toBe(false);
    expect(parseIpv4Cidr('10.1.2.3/16')).toEqual({ start: 10 * 2 ** 24 + 1 * 2 ** 16, end: 10 * 2 ** 24 + 2 * 2 ** 16, prefix: 16 });
    expect(MIN_PUBLIC_CIDR_PREFIX).toBe(16);
  });
});

describe('platform.yaml endpointAccess', () => {
  test('GIVEN 0.0.0.0/1 + 128.0.0.0/1 THEN the config is refused at the field', () => {
    const error = userInputErrorOf(() => parseConfig('platform.yaml', withPublicCidrs(['0.0.0.0/1', '128.0.0.0/1'])), 'the config');
    expect(error.format()).toMatch(/environments\[0\]\.endpointAccess\.publicCidrs(\[\d\])?: .*(whole internet|broader than \/16)/);
  });

  test('GIVEN explicit narrow CIDRs THEN the config loads', () => {
    const { config } = parseConfig('platform.yaml', withPublicCidrs(['203.0.113.0/24']));
    expect(config.environments[0]!.endpointAccess.publicCidrs).toEqual(['203.0.113.0/24']);
  });
});
