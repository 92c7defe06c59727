import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { formatResults, toJsonResults, toSarif } from '../../src/report/index.js';
import { deployment, engineOf, exception, objects, pod, podPolicy } from './fixtures.js';

const CRDS = new URL('../../../shared/reference/crds/', import.meta.url);

/** The CRD's schema as JSON Schema; fields the CRD does not declare are refused, to catch typos. */
function closed(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  if (out.properties && !out['x-kubernetes-preserve-unknown-fields']) {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, closed(v)]));
    out.additionalProperties = false;
  }
  if (out.items) out.items = closed(out.items as Record<string, unknown>);
  return out;
}

async function crdValidator(file: string) {
  const crd = parse(await readFile(new URL(file, CRDS), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] } };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha2')!;
  return new Ajv({ strict: false, allErrors: true }).compile(closed(version.schema.openAPIV3Schema));
}

const severe = podPolicy('no-host-network', '!object.spec.?hostNetwork.orValue(false)');
(severe.metadata as Record<string, unknown>).annotations = {
  'policies.kyverno.io/title': 'No host network',
  'policies.kyverno.io/description': 'Pods on the host network reach IMDS.',
  'policies.kyverno.io/severity': 'high',
  'policies.kyverno.io/category': 'ADR-15',
};
const engine = engineOf([severe], [exception('allow-cni', 'no-host-network', [{ name: 'cni', expression: "object.metadata.name == 'cni'" }])]);
const input = objects('/work/manifests/app.yaml', [
  pod('web', {}, { namespace: 'apps' }),
  pod('sniffer', { hostNetwork: true }, { namespace: 'apps' }),
  pod('cni', { hostNetwork: true }, { namespace: 'kube-system' }),
  deployment('api', { hostNetwork: true }),
]);
const results = engine.evaluate(input);
const now = new Date('2026-01-02T03:04:05Z');

describe('policyreport format', () => {
  test('GIVEN results in two namespaces THEN one PolicyReport per namespace, each valid against the wgpolicyk8s.io CRD', async () => {
    const validate = await crdValidator('wgpolicyk8s.io_policyreports.yaml');
    const docs = parseAllDocuments(formatResults('policyreport', results, engine.policies(), { baseDir: '/work', now })).map((d) => d.toJS());

    expect(docs.map((d) => [d.kind, d.metadata.namespace])).toEqual([
      ['PolicyReport', 'apps'],
      ['PolicyReport', 'default'],
      ['PolicyReport', 'kube-system'],
    ]);
    for (const doc of docs) expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(docs[0].summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(docs[2].results[0]).toEqual({
      source: 'KyvernoValidatingPolicy',
      policy: 'no-host-network',
      rule: 'exception',
      result: 'skip',
      scored: true,
      message: 'rule is skipped due to policy exception: kyverno/allow-cni',
      category: 'ADR-15',
      severity: 'high',
      timestamp: { seconds: Math.floor(now.getTime() / 1000), nanos: 0 },
      resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'cni', namespace: 'kube-system' }],
      properties: { process: 'background scan', exceptions: 'kyverno/allow-cni' },
    });
  });

  test('cluster-scoped resources go to a ClusterPolicyReport valid against its CRD', async () => {
    const validate = await crdValidator('wgpolicyk8s.io_clusterpolicyreports.yaml');
    const nsPolicy = podPolicy('ns-labelled', "has(object.metadata.labels)", {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] }] },
    });
    const e = engineOf([nsPolicy]);
    const out = e.evaluate(objects('ns.yaml', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare' } }]));
    const [doc] = parseAllDocuments(formatResults('policyreport', out, e.policies(), { baseDir: '/', now })).map((d) => d.toJS());
    expect(doc.kind).toBe('ClusterPolicyReport');
    expect(doc.metadata.namespace).toBeUndefined();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.summary.fail).toBe(1);
  });
});

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
