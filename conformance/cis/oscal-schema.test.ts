/** The OSCAL output against NIST's published assessment-results schema (../shared/reference/oscal). */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { formatOscal } from '../../src/cis/formats/oscal.js';
import { fleet, reports } from '../../test/cis/support/fleet.js';
import { referencePath } from '../support/reference.js';

const SCHEMA = JSON.parse(readFileSync(referencePath('oscal', 'oscal_assessment-results_schema-1.0.6.json'), 'utf8')) as object;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export.
  ajvFormats.default(ajv);
  return ajv.compile(SCHEMA);
}

describe('OSCAL assessment-results', () => {
  const document = JSON.parse(formatOscal(fleet, reports)) as { 'assessment-results': any };

  test('validates against NIST\'s published JSON schema (1.0.6) with ajv', () => {
    const validate = validator();
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('the schema check is real: a finding without a target is rejected', () => {
    const broken = structuredClone(document);
    delete broken['assessment-results'].results[0].findings[0].target;
    expect(validator()(broken)).toBe(false);
  });

});
