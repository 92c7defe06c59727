import { describe, expect, test } from 'vitest';
import type { Suppression } from '../../src/config/index.js';
import type { GateFinding } from '../../src/gates/finding.js';
import { applySuppressions, suppressionMatches } from '../../src/gates/suppressions.js';

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
