import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { aggregate } from '../../src/cis/aggregate.js';
import { formatJson } from '../../src/cis/formats/json.js';
import { formatJunit } from '../../src/cis/formats/junit.js';
import { formatOscal, OSCAL_VERSION } from '../../src/cis/formats/oscal.js';
import { formatTable } from '../../src/cis/formats/table.js';
import { readReport } from '../../src/cis/read.js';
import { evidenceKey } from '../../src/cis/origin.js';
import { ADR_FILES, evidence } from './support/reports.js';

// NIST's assessment-results schema, read from the shared reference data (never copied in).
const SCHEMA = JSON.parse(readFileSync(new URL('../../../shared/reference/oscal/oscal_assessment-results_schema-1.0.6.json', import.meta.url), 'utf8')) as object;

const adrReports = Object.values(ADR_FILES).map((file) => readReport({ source: file, relative: file.split('/').pop()!, text: readFileSync(file, 'utf8') }, { cluster: 'adr', node: 'control' }));
const failing = (() => {
  const data = evidence({ type: 'kubernetes', cluster: 'c1', node: 'node-b', timestamp: '2025-06-03T03:00:00.000000000Z', statuses: { '4.2.13': 'FAIL' } });
  const key = evidenceKey('c1', 'node-b', 'kubernetes', 2, new Date(data.collectedAt));
  return readReport({ source: `s3://bucket/${key}`, relative: key, text: JSON.stringify(data) });
})();
const reports = [...adrReports, failing];
const fleet = aggregate(reports, { now: new Date('2025-06-03T12:00:00Z'), intervalHours: 24, graceHours: 6 });

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export.
  ajvFormats.default(ajv);
  return ajv.compile(SCHEMA);
}

describe('OSCAL assessment-results', () => {
  const document = JSON.parse(formatOscal(fleet, reports)) as { 'assessment-results': any };
  const ar = document['assessment-results'];
  const findings = ar.results[0].findings as Array<{ title: string; target: { status: { state: string; reason: string } }; props: Array<{ name: string; value: string }>; remarks?: string }>;

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

  test('declares OSCAL 1.2 and has one observation per report', () => {
    expect(ar.metadata['oscal-version']).toBe(OSCAL_VERSION);
    expect(OSCAL_VERSION).toMatch(/^1\.2\./);
    expect(ar.results[0].observations).toHaveLength(reports.length);
  });

  test('one finding per check, satisfied only when passed and never failed', () => {
    // 15 Bottlerocket L1 checks + 23 Kubernetes L2 checks + the freshness finding.
    expect(findings).toHaveLength(15 + 23 + 1);
    const state = (title: string) => findings.find((f) => f.title.startsWith(title))!.target.status;
    expect(state('cis L1 1.3.1 ')).toEqual({ state: 'satisfied', reason: 'pass' });
    expect(state('cis-k8s L2 4.2.13 ')).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(state('cis-k8s L2 4.2.7 ')).toEqual({ state: 'not-satisfied', reason: 'other' });
  });

  test('each check carries its NIST 800-53 rev 5 controls, and the failing seal check says why', () => {
    const pids = findings.find((f) => f.title.startsWith('cis-k8s L2 4.2.13 '))!;
    expect(pids.props.filter((p) => p.name === 'nist-800-53-r5-control').map((p) => p.value)).toEqual(['CM-6', 'SC-6', 'SC-5']);
    expect(pids.remarks).toContain('Failing nodes: c1/node-b.');
    expect(pids.remarks).toContain('Seal vs CIS trade-off');
    const controls = ar.results[0]['reviewed-controls']['control-selections'][0]['include-controls'].map((c: { 'control-id': string }) => c['control-id']);
    expect(controls).toEqual(expect.arrayContaining(['cm-6', 'si-7', 'ia-5.2', 'ca-7']));
  });

  test('the same input gives the same document (name-based UUIDs)', () => {
    expect(formatOscal(fleet, reports)).toBe(formatOscal(fleet, reports));
  });
});

describe('JUnit', () => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(formatJunit(fleet));

  test('one suite per node and benchmark, one case per check plus freshness', () => {
    const suites = xml.testsuites.testsuite as Array<{ name: string; testcase: Array<{ name: string; failure?: { message: string; type: string }; skipped?: unknown }> }>;
    expect(suites.map((s) => s.name)).toEqual(['adr/control cis L1', 'adr/control cis-k8s L2', 'c1/node-b cis-k8s L2']);
    expect(suites.map((s) => s.testcase.length)).toEqual([16, 24, 24]);
    const failed = suites[2]!.testcase.filter((c) => c.failure);
    expect(failed.map((c) => c.name)).toEqual(['4.2.13 Ensure that a limit is set on pod PIDs']);
    // The ADR reports are from 2024: their freshness case fails.
    expect(suites[0]!.testcase.at(-1)).toMatchObject({ name: 'evidence-freshness', failure: { type: 'STALE' } });
    expect(xml.testsuites.failures).toBe('3');
  });
});

describe('table and JSON', () => {
  test('the table shows both benchmarks with the ADR counts, the failure note and stale evidence', () => {
    const table = formatTable(fleet);
    expect(table).toMatch(/cis\s+L1\s+CIS Bottlerocket Benchmark\s+v1\.0\.0\s+1\s+11\s+0\s+4\s+15\s+PASS/);
    expect(table).toMatch(/FAILED checks \(1\):\n  c1\/node-b cis-k8s L2 4\.2\.13 .*\n    note: Pod PIDs limit/);
    expect(table).toMatch(/STALE OR MISSING evidence \(2\)/);
    expect(table.trimEnd().endsWith('Result: FAIL')).toBe(true);
  });

  test('JSON keeps the aggregate and reduces node reports to counts', () => {
    const json = JSON.parse(formatJson(fleet));
    expect(json.status).toBe('FAIL');
    expect(json.nodes[0].reports[0]).toEqual(expect.objectContaining({ type: 'bottlerocket', counts: { total: 15, passed: 11, failed: 0, skipped: 4 } }));
    expect(json.nodes[0]).not.toHaveProperty('latest');
  });
});
