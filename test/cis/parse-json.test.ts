import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UserInputError, UserInputErrors } from '../../src/common/errors.js';
import { parseJsonReport } from '../../src/cis/parse-json.js';
import { readReport } from '../../src/cis/read.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/json/${name}`, import.meta.url), 'utf8');

function rejection(file: string, text: string): UserInputError {
  try {
    parseJsonReport(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return error instanceof UserInputErrors ? error.errors[0]! : (error as UserInputError);
  }
  throw new Error('expected the report to be rejected');
}

describe('JSON reports as the Bottlerocket API serves them', () => {
  test('a bare level-1 Bottlerocket report: type from its name, counts and checker names kept', () => {
    const report = parseJsonReport('bottlerocket-L1.json', fixture('bottlerocket-L1.json'));
    expect(report).toMatchObject({ type: 'bottlerocket', level: 1, status: 'PASS', counts: { total: 15, passed: 11, failed: 0, skipped: 4 } });
    expect(report.checks.find((c) => c.id === '1.3.1')).toMatchObject({ name: 'br01030100', status: 'PASS' });
    expect(report.evidence).toBeUndefined();
  });

  test('a Kubernetes report with a failing 4.2.13 is read as FAIL, not rejected', () => {
    const report = parseJsonReport('k.json', fixture('kubernetes-L2-fail.json'));
    expect(report).toMatchObject({ type: 'kubernetes', level: 2, status: 'FAIL', counts: { failed: 1, passed: 17 } });
  });

  test('a bare report without `name` is typed by its checker names', () => {
    const data = JSON.parse(fixture('kubernetes-L2.json')) as Record<string, unknown>;
    delete data['name'];
    expect(parseJsonReport('k.json', JSON.stringify(data)).type).toBe('kubernetes');
  });

  test('collector evidence carries cluster, node, instance and Bottlerocket version', () => {
    const report = readReport({ source: 'e.json', relative: 'e.json', text: fixture('evidence-bottlerocket-L1.json') });
    expect(report.origin).toEqual({
      cluster: 'fedplat-dev',
      node: 'ip-10-10-1-23.us-gov-west-1.compute.internal',
      instanceId: expect.stringMatching(/^i-0[0-9a-f]{16}$/),
      bottlerocketVersion: '1.47.0',
      variant: 'aws-k8s-1.33',
    });
  });

  test('evidence stored under another node than it names is rejected', () => {
    const relative = 'cis/fedplat-dev/2025/06/02/some-other-node/bottlerocket-L1.json';
    expect(() => readReport({ source: relative, relative, text: fixture('evidence-bottlerocket-L1.json') })).toThrow(/stored under another cluster, node or day/);
  });
});

describe('malformed JSON reports fail closed with file and line', () => {
  const evidenceText = fixture('evidence-bottlerocket-L1.json');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  test('truncated JSON names the file and a line', () => {
    const cut = evidenceText.slice(0, Math.floor(evidenceText.length / 2));
    const error = rejection('cut.json', cut);
    expect(error.position?.file).toBe('cut.json');
    expect(error.position?.line).toBeGreaterThan(1);
  });

  test('an unknown check status names the line of the field', () => {
    const text = evidenceText.replace('"status": "PASS",\n        "error": ""', '"status": "WARN",\n        "error": ""');
    const error = rejection('e.json', text);
    expect(error.format()).toMatch(/^e\.json:\d+:\d+: report\.results\.br\d+\.status: /);
    expect(error.position?.line).toBe(lineOf(text, '"WARN"'));
  });

  test('counts that do not add up', () => {
    const text = evidenceText.replace('"passed": 11', '"passed": 12');
    const error = rejection('e.json', text);
    expect(error.message).toMatch(/total 15 != passed 12/);
    expect(error.position?.line).toBe(lineOf(text, '"total"'));
  });

  test('an overall status that contradicts the checks', () => {
    const error = rejection('e.json', evidenceText.replace('"status": "PASS",\n    "timestamp"', '"status": "SKIP",\n    "timestamp"'));
    expect(error.message).toContain('inconsistent overall status SKIP');
  });

  test('a result whose key and checker name differ', () => {
    expect(rejection('e.json', evidenceText.replace('"name": "br01030100"', '"name": "br01040100"')).message).toContain('result br01030100 names checker br01040100');
  });

  test('an unknown evidence kind', () => {
    expect(rejection('e.json', evidenceText.replace('bottlerocket-eks/cis-evidence/v1', 'something/else')).message).toContain('unknown evidence kind');
  });

  test('a Kubernetes checker in a Bottlerocket report', () => {
    const text = fixture('bottlerocket-L1.json').replaceAll('br01030100', 'k8s01030100');
    expect(rejection('b.json', text).message).toContain('does not belong to the bottlerocket benchmark');
  });

  test('a missing field names it', () => {
    const data = JSON.parse(fixture('bottlerocket-L1.json')) as Record<string, unknown>;
    delete data['failed'];
    expect(rejection('b.json', JSON.stringify(data)).format()).toContain('failed: ');
  });
});

describe('the fast validation path is as strict as the zod schema', () => {
  const base = () => JSON.parse(fixture('evidence-bottlerocket-L1.json'));
  test.each<[string, (d: any) => void, RegExp]>([
    ['a timestamp without a time zone', (d) => (d.report.timestamp = '2025-06-02T03:00:00'), /report\.timestamp/],
    ['level 3', (d) => (d.report.level = 3), /report\.level/],
    ['a negative count', (d) => (d.report.skipped = -1), /report\.skipped/],
    ['a fractional count', (d) => (d.report.passed = 10.5), /report\.passed/],
    ['an unknown envelope field', (d) => (d.extra = true), /extra/],
    ['an unknown mode', (d) => (d.report.results.br01030100.mode = 'Auto'), /report\.results\.br01030100\.mode/],
    ['a non-CIS id', (d) => (d.report.results.br01030100.id = 'one.three'), /report\.results\.br01030100\.id/],
    ['a null instance id is fine, an empty one is not', (d) => (d.instanceId = ''), /instanceId/],
  ])('%s is rejected', (_name, mutate, where) => {
    const data = base();
    mutate(data);
    expect(() => parseJsonReport('e.json', JSON.stringify(data, null, 2))).toThrow(UserInputError);
    expect(rejection('e.json', JSON.stringify(data, null, 2)).format()).toMatch(where);
  });

  test('a null instance id is accepted (recorded as unknown)', () => {
    const data = base();
    data.instanceId = null;
    expect(parseJsonReport('e.json', JSON.stringify(data)).evidence?.instanceId).toBeNull();
  });
});
