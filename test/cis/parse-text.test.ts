import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UserInputError, UserInputErrors } from '../../src/common/errors.js';
import { parseTextReport } from '../../src/cis/parse-text.js';
import { ADR_FILES } from './support/reports.js';

const k8s = readFileSync(ADR_FILES.kubernetes, 'utf8');
const br = readFileSync(ADR_FILES.bottlerocket, 'utf8');

/** The first error's `file:line`, for asserting where a problem is reported. */
function errorAt(file: string, text: string): { where: string; message: string } {
  try {
    parseTextReport(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    const first = error instanceof UserInputErrors ? error.errors[0]! : (error as UserInputError);
    return { where: `${first.position?.file}:${first.position?.line}`, message: (error as UserInputError).format() };
  }
  throw new Error('expected the report to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.startsWith(needle)) + 1;

describe('ADR-15 text reports, parsed exactly', () => {
  test('cis-k8s level 2: 18 passed, 0 failed, 5 skipped of 23, PASS', () => {
    const report = parseTextReport('cis-k8s-L2.txt', k8s);
    expect(report).toMatchObject({
      type: 'kubernetes',
      level: 2,
      status: 'PASS',
      timestamp: '2024-10-07T19:21:05.220443436Z',
      benchmark: { name: 'CIS Kubernetes Benchmark (Worker Node)', version: 'v1.8.0', url: 'https://www.cisecurity.org/benchmark/kubernetes' },
      counts: { passed: 18, failed: 0, skipped: 5, total: 23 },
    });
    expect(report.checks).toHaveLength(23);
    expect(report.checks.filter((c) => c.status === 'SKIP').map((c) => c.id)).toEqual(['4.1.3', '4.1.4', '4.2.7', '4.2.8', '4.2.10']);
    expect(report.checks[22]).toEqual({ id: '4.2.13', title: 'Ensure that a limit is set on pod PIDs', mode: 'Automatic', status: 'PASS' });
    expect(report.checks[16]!.title).toBe('Ensure that the --hostname-override argument is not set (not valid for Bottlerocket)');
  });

  test('cis level 1: 11 passed, 0 failed, 4 skipped of 15, PASS', () => {
    const report = parseTextReport('cis-L1.txt', br);
    expect(report).toMatchObject({ type: 'bottlerocket', level: 1, status: 'PASS', benchmark: { version: 'v1.0.0' }, counts: { passed: 11, failed: 0, skipped: 4, total: 15 } });
    expect(report.checks.map((c) => c.id)).toContain('2.1.1.1');
    expect(report.checks.find((c) => c.id === '1.6')).toMatchObject({ mode: 'Manual', status: 'SKIP' });
  });

  test('the same report without the shell prompt line parses the same', () => {
    const withoutPrompt = br.split('\n').slice(1).join('\n');
    expect(parseTextReport('x.txt', withoutPrompt)).toEqual(parseTextReport('x.txt', br));
  });
});

describe('malformed and truncated text reports fail closed with file and line', () => {
  const lines = k8s.split('\n');
  test.each([
    ['truncated after the checks', lines.slice(0, lineOf(k8s, '[PASS] 4.2.12')).join('\n'), 'truncated report'],
    ['truncated before the result', lines.slice(0, lineOf(k8s, 'Total checks:')).join('\n'), 'truncated report'],
    ['cut inside the header', lines.slice(0, 3).join('\n'), 'truncated report'],
  ])('%s', (_name, text, message) => {
    const { where, message: formatted } = errorAt('cut.txt', text);
    expect(formatted).toContain(message);
    expect(where).toMatch(/^cut\.txt:\d+$/);
  });

  test('an unknown status names its line', () => {
    const text = k8s.replace('[PASS] 4.2.4 ', '[WARN] 4.2.4 ');
    expect(errorAt('k8s.txt', text)).toEqual({ where: `k8s.txt:${lineOf(text, '[WARN]')}`, message: expect.stringContaining('unknown check status [WARN]') });
  });

  test('a label not padded to 17 columns is rejected at its line', () => {
    const text = k8s.replace('Version:         v1.8.0', 'Version: v1.8.0');
    expect(errorAt('k8s.txt', text).where).toBe(`k8s.txt:${lineOf(text, 'Version:')}`);
  });

  test('a check line out of the apiclient layout is rejected', () => {
    const text = k8s.replace('[PASS] 4.2.1     Ensure', '[PASS] 4.2.1 Ensure');
    expect(errorAt('k8s.txt', text)).toMatchObject({ where: `k8s.txt:${lineOf(text, '[PASS] 4.2.1 Ensure')}`, message: expect.stringContaining('layout') });
  });

  test('counts that do not add up point at the count line', () => {
    const text = k8s.replace('Passed:          18', 'Passed:          19');
    const { where, message } = errorAt('k8s.txt', text);
    expect(message).toContain('total 23 != passed 19 + failed 0 + skipped 5');
    expect(where).toBe(`k8s.txt:${lineOf(text, 'Total checks:')}`);
  });

  test('a dropped check line is caught by the counts (never a pass)', () => {
    const text = k8s.replace(/\[PASS\] 4\.2\.6 .*\n/, '');
    expect(errorAt('k8s.txt', text).message).toContain('total says 23 checks but 22 are listed');
  });

  test('an overall result inconsistent with the checks is an error', () => {
    const text = k8s.replace('[PASS] 4.2.4 ', '[FAIL] 4.2.4 ').replace('Passed:          18', 'Passed:          17').replace('Failed:          0', 'Failed:          1');
    const { where, message } = errorAt('k8s.txt', text);
    expect(message).toContain('inconsistent overall status PASS: the checks make it FAIL');
    expect(where).toBe(`k8s.txt:${lineOf(text, 'Compliance check result')}`);
  });

  test('a duplicate check id names both lines', () => {
    const text = k8s.replace('[PASS] 4.2.5 ', '[PASS] 4.2.4 ');
    const { where, message } = errorAt('k8s.txt', text);
    expect(message).toContain(`duplicate check id 4.2.4 (first at line ${lineOf(k8s, '[PASS] 4.2.4')})`);
    expect(where).toBe(`k8s.txt:${lineOf(k8s, '[PASS] 4.2.5')}`);
  });

  test('an unknown benchmark is rejected', () => {
    expect(errorAt('x.txt', br.replace('CIS Bottlerocket Benchmark', 'CIS Ubuntu Benchmark')).message).toContain('unknown benchmark "CIS Ubuntu Benchmark"');
  });

  test('text after the result is rejected', () => {
    const text = `${br}trailing garbage\n`;
    expect(errorAt('x.txt', text).where).toBe(`x.txt:${text.split('\n').length - 1}`);
  });
});
