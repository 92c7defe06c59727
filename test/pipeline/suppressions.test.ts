import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseConfig, type Suppression } from '../../src/config/index.js';
import type { GateFinding } from '../../src/gates/finding.js';
import { userInputErrorOf } from '../support/refusal.js';
import { applySuppressions, SUPPRESSION_EXPIRED, suppressionMatches } from '../../src/gates/suppressions.js';

const finding: GateFinding = {
  id: 'AwsSolutions-IAM5[Resource::<Bucket.Arn>/cis/*]',
  source: 'AwsSolutions',
  resource: 'fedplat-dev/EvidenceWriters/CisCollector/Policy/Resource',
  result: 'fail',
  reason: 'wildcard',
};
const scope = { environment: 'dev', stackPath: 'fedplat-dev' };
const entry = (overrides: Partial<Suppression>): Suppression => ({ rule: 'AwsSolutions-IAM5', resource: 'EvidenceWriters/*', reason: 'scoped to the cis/ prefix of the evidence bucket', ...overrides });

describe('suppressionMatches', () => {
  test.each([
    ['rule prefix before [ and stack-relative prefix', entry({}), true],
    ['exact id and full path', entry({ rule: finding.id, resource: finding.resource }), true],
    ['full-path prefix', entry({ resource: 'fedplat-dev/EvidenceWriters/*' }), true],
    ['another rule', entry({ rule: 'AwsSolutions-IAM4' }), false],
    ['a rule that only shares a prefix', entry({ rule: 'AwsSolutions-IAM' }), false],
    ['another resource', entry({ resource: 'Cluster/*' }), false],
    ['an exact path without /*', entry({ resource: 'EvidenceWriters' }), false],
    ['another environment', entry({ environments: ['prod'] }), false],
  ])('%s → %s', (_what, suppression, expected) => {
    expect(suppressionMatches(suppression, finding, scope)).toBe(expected);
  });
});

describe('applySuppressions', () => {
  test('only failures change; the reason is kept and the entry counts as used', () => {
    const passing: GateFinding = { ...finding, result: 'pass' };
    const suppression = entry({});
    const { findings, used } = applySuppressions([finding, passing], [suppression], scope);
    expect(findings[0]).toMatchObject({ result: 'suppressed', reason: expect.stringContaining('scoped to the cis/ prefix') });
    expect(findings[1]).toBe(passing);
    expect(used.has(suppression)).toBe(true);
  });
});

describe('suppression expiry', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  test('GIVEN expires today THEN it still applies', () => {
    const { findings } = applySuppressions([finding], [entry({ expires: '2026-12-01' })], scope, now);
    expect(findings).toEqual([expect.objectContaining({ result: 'suppressed' })]);
  });

  test('GIVEN expires yesterday THEN the finding fails again and the entry is a failed SUPPRESSION-EXPIRED finding', () => {
    const { findings } = applySuppressions([finding], [entry({ expires: '2026-11-30' })], scope, now);
    expect(findings).toEqual([
      expect.objectContaining({ id: finding.id, result: 'fail' }),
      expect.objectContaining({ id: SUPPRESSION_EXPIRED, source: 'platform.yaml', result: 'fail', reason: expect.stringMatching(/expired on 2026-11-30/) }),
    ]);
  });

  test('GIVEN an expired entry for another environment THEN this environment is unaffected', () => {
    const { findings } = applySuppressions([finding], [entry({ expires: '2026-11-30', environments: ['prod'] })], scope, now);
    expect(findings).toEqual([finding]);
  });

  test('GIVEN a malformed expires THEN the config is refused', () => {
    const text = readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8');
    const withSuppression = text.replace(/^suppressions:\n/m, 'suppressions:\n  - rule: AwsSolutions-IAM5\n    resource: EvidenceWriters/*\n    reason: scoped to the prefixes of the evidence bucket\n    expires: 31/12/2026\n');
    expect(withSuppression).not.toBe(text);
    const error = userInputErrorOf(() => parseConfig('platform.yaml', withSuppression), 'the config');
    expect(error.format()).toMatch(/^platform\.yaml:\d+:\d+: suppressions\[0\]\.expires: must be a date such as 2027-03-31/);
  });
});
