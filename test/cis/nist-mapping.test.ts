import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NIST_800_53_R5, nistControlsFor, oscalControlId } from '../../src/cis/nist-800-53-mapping.js';
import { parseTextReport } from '../../src/cis/parse-text.js';
import { ADR_FILES } from './support/reports.js';

// Automatic checks of the Bottlerocket checkers (../shared/reference/cis/README.md) plus the ADR's manual ones.
const REFERENCE_BOTTLEROCKET_IDS = ['1.1.1.1', '1.3.1', '1.4.1', '1.4.2', '1.4.3', '1.4.4', '1.5.1', '1.5.2', '2.1.1.1', '3.1.1', '3.2.1', '3.2.2', '3.2.3', '3.2.4', '3.2.5', '3.2.6', '3.2.7', '3.3.1', '3.4.1.1', '3.4.1.2', '3.4.2.1', '3.4.2.2', '4.1.1.1', '4.1.2', '1.2.1', '1.6', '3.4.1.3', '3.4.2.3'];
const REFERENCE_KUBERNETES_IDS = [...Array.from({ length: 10 }, (_, i) => `4.1.${i + 1}`), ...Array.from({ length: 14 }, (_, i) => `4.2.${i + 1}`)];

describe('CIS → NIST 800-53 rev 5 mapping', () => {
  test.each([
    ['bottlerocket', REFERENCE_BOTTLEROCKET_IDS],
    ['kubernetes', REFERENCE_KUBERNETES_IDS],
  ] as const)('every known %s check has specific controls beyond CM-6', (type, ids) => {
    const unmapped = ids.filter((id) => nistControlsFor(type, id).length < 2);
    expect(unmapped).toEqual([]);
  });

  test('every check of the ADR reports is mapped', () => {
    for (const [type, file] of Object.entries(ADR_FILES) as Array<['bottlerocket' | 'kubernetes', string]>) {
      for (const check of parseTextReport(file, readFileSync(file, 'utf8')).checks) expect(NIST_800_53_R5[type][check.id], `${type} ${check.id}`).toBeDefined();
    }
  });

  test('an unknown newer check still maps to CM-6 (configuration settings)', () => {
    expect(nistControlsFor('kubernetes', '4.3.1')).toEqual(['CM-6']);
  });

  test('controls are well-formed and convert to OSCAL catalog ids', () => {
    const all = Object.values(NIST_800_53_R5).flatMap((table) => Object.values(table).flat());
    expect(all.filter((c) => !/^[A-Z]{2}-\d+(\(\d+\))?$/.test(c))).toEqual([]);
    expect(oscalControlId('IA-5(2)')).toBe('ia-5.2');
    expect(oscalControlId('SC-7')).toBe('sc-7');
  });
});
