import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { formatJson } from '../../src/cis/formats/json.js';
import { formatJunit } from '../../src/cis/formats/junit.js';
import { formatOscal, OSCAL_VERSION } from '../../src/cis/formats/oscal.js';
import { formatTable } from '../../src/cis/formats/table.js';
import { fleet, reports } from './support/fleet.js';

describe('OSCAL assessment-results', () => {
  const document = JSON.parse(formatOscal(fleet, reports)) as { 'assessment-results': any };
  const ar = document['assessment-results'];
  const findings = ar.results[0].findings as Array<{ title: string; target: { status: { state: string; reason: string } }; props: Array<{ name: string; value: string }>; remarks?: string }>;

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
