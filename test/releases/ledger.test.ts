import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { UserInputError } from '../../src/common/errors.js';
import { appendEntries, loadLedger, parseLedger } from '../../src/releases/index.js';
import { firstRunDay, recordOf } from '../../src/releases/ledger.js';
import { userInputErrorOf } from '../support/refusal.js';

const example = await readFile(new URL('../../releases.lock.yaml', import.meta.url), 'utf8');

function errorOf(text: string): UserInputError {
  return userInputErrorOf(() => parseLedger('releases.lock.yaml', text), 'the ledger');
}

describe('promotion ledger', () => {
  test('GIVEN the example ledger THEN it loads and answers who ran what since when', () => {
    const { ledger } = parseLedger('releases.lock.yaml', example);

    // 10 releases and Kubernetes versions, 9 add-on pins (three add-ons in three environments).
    expect(ledger.applied).toHaveLength(19);
    expect(recordOf(ledger, 'staging', { kind: 'release', version: '1.47.0-6154605b' }, 'graviton')?.firstApplied).toBe('2026-10-28');
    expect(recordOf(ledger, 'prod', { kind: 'release', version: '1.47.0-6154605b' })).toBeUndefined();
    expect(firstRunDay(ledger, 'prod', { kind: 'kubernetes', version: '1.33' }, '2026-11-27')).toBe('2026-06-18');
    expect(firstRunDay(ledger, 'prod', { kind: 'kubernetes', version: '1.33' }, '2026-06-17')).toBeUndefined();
  });

  test.each([
    ['firstApplied: 2026-10-28', 'firstApplied: 2026-02-30', /^releases\.lock\.yaml:\d+:\d+: applied\[8\]\.firstApplied: \[ADR15-PROMO-1\] must be a calendar day/],
    ['releaseVersion: 1.47.0-6154605b\n    firstApplied: 2026-10-28', 'releaseVersion: 1.47.0\n    firstApplied: 2026-10-28', /applied\[8\]\.releaseVersion: \[ADR15-PROMO-1\] must be a pinned Bottlerocket release/],
    ['  - environment: prod\n    kubernetesVersion: "1.33"', '  - environment: prod\n    nodeGroup: general\n    kubernetesVersion: "1.33"', /applied\[2\]\.nodeGroup: .*applies to the whole environment/],
  ])('GIVEN a broken entry (%s → %s) THEN the error gives file:line:col and field', (from, to, expected) => {
    const error = errorOf(example.replace(from, to));
    expect(error.format()).toMatch(expected);
  });

  test('an entry with neither or both versions is refused at its line', () => {
    const error = errorOf('applied:\n  - environment: dev\n    firstApplied: 2026-01-01\n');
    expect(error.format()).toBe('releases.lock.yaml:2:5: applied[0]: [ADR15-PROMO-1] an entry records exactly one of `releaseVersion`, `kubernetesVersion` or `addonVersion`');
  });

  test('an override without a real reason is refused', () => {
    const error = errorOf('applied:\n  - environment: prod\n    kubernetesVersion: "1.34"\n    firstApplied: 2026-01-01\n    override: urgent\n');
    expect(error.format()).toMatch(/^releases\.lock\.yaml:5:15: applied\[0\]\.override: .*at least 20 characters/);
  });

  test('GIVEN an existing ledger WHEN entries are appended THEN its comments stay and the rest is unchanged', () => {
    const loaded = parseLedger('releases.lock.yaml', example);
    const text = appendEntries(loaded, [
      { environment: 'prod', nodeGroup: 'general', releaseVersion: '1.47.0-6154605b', firstApplied: '2026-11-27', override: 'CVE-2026-0001 kernel fix, approved by the CISO' },
    ]);

    expect(text.startsWith(example)).toBe(true);
    expect(text.slice(example.length)).toBe(
      '  - environment: prod\n    nodeGroup: general\n    releaseVersion: 1.47.0-6154605b\n    firstApplied: 2026-11-27\n    override: CVE-2026-0001 kernel fix, approved by the CISO\n',
    );
    expect(parseLedger('releases.lock.yaml', text).ledger.applied).toHaveLength(20);
  });

  test('GIVEN no ledger file THEN it is empty, and the first append writes the header and quotes Kubernetes versions', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'ledger-')), 'releases.lock.yaml');
    const loaded = await loadLedger(file);
    expect(loaded.ledger.applied).toEqual([]);

    const text = appendEntries(loaded, [{ environment: 'dev', kubernetesVersion: '1.34', firstApplied: '2026-12-01' }]);

    expect(text).toMatch(/^# Promotion ledger \(ADR15-PROMO-1\)/);
    expect(text).toContain('  - environment: dev\n    kubernetesVersion: "1.34"\n    firstApplied: 2026-12-01\n');
    expect(parseLedger(file, text).ledger.applied).toEqual([{ environment: 'dev', kubernetesVersion: '1.34', firstApplied: '2026-12-01' }]);
  });
});
