/**
 * wgpolicyk8s.io/v1alpha2 reports as Kyverno writes them: one PolicyReport per namespace for
 * namespaced resources, one ClusterPolicyReport for cluster-scoped ones. Result fields follow
 * Kyverno's pkg/utils/report: source `KyvernoValidatingPolicy`, `scored`, `process` and
 * `exceptions` properties, severity only when it is one of the CRD's values.
 */
import { toYamlStream } from '../common/yaml-writer.js';
import { CLUSTER_SCOPED_KINDS, tallyResults, type PolicyInfo, type PolicyResult } from '../policy-engine/index.js';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
export const REPORT_NAME = 'bottlerocket-eks-audit';
const SOURCE = 'KyvernoValidatingPolicy';
const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);

export interface PolicyReportOptions {
  /** Report timestamp; tests pin it. */
  readonly now?: Date;
}

function reportResult(r: PolicyResult, info: PolicyInfo | undefined, seconds: number) {
  const properties: Record<string, string> = { process: info?.background === false ? 'admission review' : 'background scan' };
  if (r.exceptions) properties.exceptions = r.exceptions.join(',');
  return {
    source: SOURCE,
    policy: r.policy,
    ...(r.rule ? { rule: r.rule } : {}),
    result: r.result,
    // Kyverno marks a result unscored by reporting warn instead of fail.
    scored: r.result !== 'warn',
    message: r.message,
    ...(r.category ? { category: r.category } : {}),
    ...(r.severity && SEVERITIES.has(r.severity) ? { severity: r.severity } : {}),
    timestamp: { seconds, nanos: 0 },
    resources: [{ apiVersion: r.resource.apiVersion, kind: r.resource.kind, name: r.resource.name, ...(r.resource.namespace ? { namespace: r.resource.namespace } : {}) }],
    properties,
  };
}

export function toPolicyReports(results: readonly PolicyResult[], policies: readonly PolicyInfo[], options: PolicyReportOptions = {}) {
  const seconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const info = new Map(policies.map((p) => [p.name, p]));
  const byNamespace = new Map<string, PolicyResult[]>();
  for (const r of results) {
    // A namespaced object without a namespace lands in `default`, as `kubectl apply` would put it.
    const ns = r.resource.namespace ?? (CLUSTER_SCOPED_KINDS.has(r.resource.kind) ? '' : 'default');
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
  }
  const namespaces = [...byNamespace.keys()].sort();
  return namespaces.map((ns) => {
    const list = byNamespace.get(ns)!;
    const t = tallyResults(list);
    return {
      apiVersion: POLICY_REPORT_API_VERSION,
      kind: ns === '' ? 'ClusterPolicyReport' : 'PolicyReport',
      metadata: { name: REPORT_NAME, ...(ns === '' ? {} : { namespace: ns }), labels: { 'app.kubernetes.io/managed-by': 'bottlerocket-eks' } },
      results: list.map((r) => reportResult(r, info.get(r.policy), seconds)),
      summary: { pass: t.pass, fail: t.fail, warn: t.warn, error: t.error, skip: t.skip },
    };
  });
}

/** A multi-document YAML stream, serialised by the yaml library. */
export function formatPolicyReports(results: readonly PolicyResult[], policies: readonly PolicyInfo[], options: PolicyReportOptions = {}): string {
  return toYamlStream(toPolicyReports(results, policies, options), { leadingMarker: true });
}
