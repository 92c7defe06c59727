import { describe, expect, test } from 'vitest';
import { formatResults, toJsonResults, toSarif } from '../../src/report/index.js';
import { engine, input, results } from './report-fixture.js';

describe('sarif format', () => {
  test('GIVEN failures THEN SARIF 2.1.0 has one rule per policy and results located at file and line; excepted results are suppressed', () => {
    const sarif = toSarif(results, engine.policies(), { baseDir: '/work' });
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules).toEqual([
      expect.objectContaining({ id: 'no-host-network', shortDescription: { text: 'No host network' }, defaultConfiguration: { level: 'error' } }),
    ]);
    expect(run.results.map((r) => [r.message.text.split(':')[0], r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, 'suppressions' in r])).toEqual([
      ['Pod/apps/sniffer', 'error', 'manifests/app.yaml', false],
      ['Pod/kube-system/cni', 'error', 'manifests/app.yaml', true],
      ['Deployment/api', 'error', 'manifests/app.yaml', false],
    ]);
    expect(run.results[0]!.locations[0]!.physicalLocation.region.startLine).toBe(input[1]!.line);
  });
});

describe('json and table formats', () => {
  test('json is one object per result with policy, rule when set, resource, result and message', () => {
    const json = toJsonResults(results);
    expect(json).toHaveLength(4);
    expect(json[1]).toEqual({
      policy: 'no-host-network',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'sniffer' },
      result: 'fail',
      message: 'no-host-network failed',
      source: { file: expect.stringMatching(/app\.yaml$/), line: input[1]!.line },
    });
    expect(json[2]).toMatchObject({ rule: 'exception', result: 'skip', exceptions: ['kyverno/allow-cni'] });
  });

  test('the table lists every result and ends with the tally', () => {
    const table = formatResults('table', results, engine.policies(), { baseDir: '/' });
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RESULT\s+POLICY\s+RESOURCE\s+LOCATION\s+MESSAGE$/);
    expect(lines[2]).toContain(` work/manifests/app.yaml:${input[1]!.line} `);
    expect(lines).toHaveLength(1 + results.length + 2);
    expect(lines.at(-1)).toBe('1 pass, 2 fail, 0 warn, 0 error, 1 skip');
  });
});
