import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { findTestFiles } from '../../src/policy-engine/index.js';
import { runCli } from '../../test/support/cli.js';
import { referencePath } from '../support/reference.js';

const SUITE = referencePath('kyverno-policies', 'pod-security-vpol');

/** Result entries × resources in Kyverno's own kyverno-test.yaml files, counted from the files. */
async function expectedCases(): Promise<number> {
  let count = 0;
  for (const file of await findTestFiles([SUITE])) {
    const test = parse(await readFile(file, 'utf8')) as { results: { resources: string[] }[] };
    for (const entry of test.results) count += entry.resources.length;
  }
  return count;
}

describe("Kyverno's pod-security-vpol suite (acceptance)", () => {
  test('GIVEN the 16 upstream suites WHEN `policy test` runs THEN all 865 cases pass', async () => {
    const expected = await expectedCases();
    expect(expected).toBe(865);

    const run = await runCli(['policy', 'test', SUITE]);

    expect(run.stdout).toBe(`${expected} passed, 0 failed\n`);
    expect(run.code).toBe(0);
  });

  test('--format json reports each case with what the engine gave', async () => {
    const run = await runCli(['policy', 'test', SUITE, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { passed: number; failed: number; tests: { policy: string; resource: string; expected: string; actual: string; ok: boolean }[] };

    expect(report.failed).toBe(0);
    expect(report.tests).toHaveLength(report.passed);
    expect(report.tests).toContainEqual(expect.objectContaining({ policy: 'disallow-capabilities', resource: 'CronJob/badcronjob01', expected: 'fail', actual: 'fail', ok: true }));
    expect(new Set(report.tests.map((t) => t.resource.split('/')[0]))).toEqual(new Set(['Pod', 'Deployment', 'CronJob']));
  });
});

describe('policy test mismatches', () => {
  test('GIVEN a suite whose expectation is wrong THEN the mismatch is printed, counted and exit is 1', async () => {
    const { tempTree, podPolicy, pod } = await import('../../test/policy-engine/fixtures.js');
    const dir = await tempTree({
      'policy.yaml': [podPolicy('always-fails', 'false')],
      'resources.yaml': [pod('p1'), pod('p2')],
      'kyverno-test.yaml': [
        {
          apiVersion: 'cli.kyverno.io/v1alpha1',
          kind: 'Test',
          metadata: { name: 'wrong' },
          policies: ['policy.yaml'],
          resources: ['resources.yaml'],
          results: [
            { policy: 'always-fails', kind: 'Pod', resources: ['p1'], result: 'fail' },
            { policy: 'always-fails', kind: 'Pod', resources: ['p2', 'missing'], result: 'pass' },
            { policy: 'always-fails', kind: 'Deployment', resources: ['p1'], result: 'fail' },
          ],
        },
      ],
    });

    const run = await runCli(['policy', 'test', dir]);

    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 3 failed');
    expect(lines).toContain(`FAIL ${dir}/kyverno-test.yaml: policy always-fails, resource Pod/p2: want pass, got fail (always-fails failed)`);
    expect(lines.some((l) => l.includes('resource Pod/missing: want pass, got not found'))).toBe(true);
    expect(lines.some((l) => l.includes('resource Deployment/p1: want fail, got not found'))).toBe(true);
  });
});

describe('policy test inputs', () => {
  test('namespace labels from a values file feed namespaceSelector, as in the Kyverno CLI', async () => {
    const { tempTree, podPolicy, pod, podRules } = await import('../../test/policy-engine/fixtures.js');
    const selective = podPolicy('prod-only', 'false', { matchConstraints: { ...podRules, namespaceSelector: { matchLabels: { env: 'prod' } } } });
    const dir = await tempTree({
      'policy.yaml': [selective],
      'resources.yaml': [pod('in-prod', {}, { namespace: 'shop' }), pod('in-dev', {}, { namespace: 'lab' })],
      'values.yaml': [{ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Values', namespaceSelector: [{ name: 'shop', labels: { env: 'prod' } }] }],
      'kyverno-test.yaml': [
        {
          apiVersion: 'cli.kyverno.io/v1alpha1',
          kind: 'Test',
          metadata: { name: 'ns' },
          policies: ['policy.yaml'],
          resources: ['resources.yaml'],
          variables: 'values.yaml',
          results: [
            { policy: 'prod-only', kind: 'Pod', resources: ['shop/in-prod'], result: 'fail' },
            { policy: 'prod-only', kind: 'Pod', resources: ['in-dev'], result: 'skip' },
          ],
        },
      ],
    });
    const run = await runCli(['policy', 'test', dir]);
    expect(run.stdout).toBe('2 passed, 0 failed\n');
    expect(run.code).toBe(0);
  });

  test('a Test file with an unknown field is bad input (exit 2) naming file, line and field', async () => {
    const { tempTree } = await import('../../test/policy-engine/fixtures.js');
    const dir = await tempTree({
      'kyverno-test.yaml': [{ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Test', metadata: { name: 't' }, policies: ['p.yaml'], results: [{ policy: 'p', result: 'pass' }], reslts: [] }],
    });
    const run = await runCli(['policy', 'test', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${dir}/kyverno-test\\.yaml:\\d+:\\d+: reslts: unknown field in Test`, 'm'));
  });
});
