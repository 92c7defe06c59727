/**
 * Differential oracle: the verdicts the real Kyverno CLI (built from kyverno/kyverno tag v1.19.0)
 * gave on these suites, recorded in fixtures/kyverno-cli-verdicts.json. Every case Kyverno
 * judged (reason Ok) must be judged the same way, and as met, by the offline engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/policy-engine/index.js';
import { TEST_DIR } from '../../src/policies/index.js';

interface Row {
  readonly policy: string;
  readonly resource: string;
  readonly result: string;
  readonly reason: string;
}
const recorded = JSON.parse(readFileSync(new URL('./fixtures/kyverno-cli-verdicts.json', import.meta.url), 'utf8')) as { producedBy: string; rows: Row[] };

describe(`ADR suites against ${recorded.producedBy.split(' (')[0]}`, () => {
  it('GIVEN Kyverno passed every expectation THEN the offline engine meets each one Kyverno judged', async () => {
    expect(recorded.rows.every((r) => r.result === 'Pass')).toBe(true);
    const summary = await runTests([TEST_DIR]);
    const ours = new Map(summary.tests.map((t) => [`${t.policy} ${t.resource}`, t.ok]));
    const judged = recorded.rows.filter((r) => r.reason === 'Ok');
    expect(judged.length).toBeGreaterThan(1000);
    // Kyverno names `group/version/Kind/namespace/name` (empty namespace for cluster-scoped kinds); ours is `Kind/namespace/name`.
    const ourName = (resource: string) => {
      const parts = resource.split('/');
      return parts.slice(parts.findIndex((p) => /^[A-Z]/.test(p))).filter(Boolean).join('/');
    };
    expect(judged.filter((r) => ours.get(`${r.policy} ${ourName(r.resource)}`) !== true)).toEqual([]);
  });
});
