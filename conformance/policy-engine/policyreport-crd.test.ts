/** PolicyReport output against the wgpolicyk8s.io CRDs Kyverno ships (../shared/reference/crds). */
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { formatResults } from '../../src/report/index.js';
import { engine, now, results } from '../../test/policy-engine/report-fixture.js';
import { engineOf, objects, podPolicy } from '../../test/policy-engine/fixtures.js';
import { kubernetesAjv } from '../support/kubernetes-ajv.js';
import { referencePath } from '../support/reference.js';

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
  const crd = parse(await readFile(referencePath('crds', file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] } };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha2')!;
  return kubernetesAjv({ allErrors: true }).compile(closed(version.schema.openAPIV3Schema));
}

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

