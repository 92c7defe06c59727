/**
 * `matchConstraints`, as the Kubernetes admission matcher Kyverno reuses (pkg/cel/matching):
 * namespaceSelector, objectSelector, excludeResourceRules, then resourceRules. The resource of an
 * offline object is guessed from its kind the way Kubernetes' `UnsafeGuessKindToResource` does,
 * since there is no API server to ask.
 */
import type { LabelSelector, MatchConstraints, ResourceRule } from './schema.js';

/** What matching needs to know about one object, computed once per object. */
export interface ResourceAttributes {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  /** `metadata.name`; empty when the object only has a `generateName`. */
  readonly name: string;
  readonly generateName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The admission operation evaluated: CREATE unless a test names another. */
  readonly operation: AdmissionOperation;
  /** The subresource of the request (`ephemeralcontainers`), empty for the object itself. */
  readonly subresource?: string;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Kinds that are cluster-scoped; everything else is treated as namespaced. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ValidatingPolicy',
  'ClusterPolicy',
  'ClusterPolicyReport',
]);

const IRREGULAR_RESOURCES: Readonly<Record<string, string>> = { endpoints: 'endpoints' };

const guessed = new Map<string, string>();

/** `Deployment` → `deployments`, `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`. */
export function guessResource(kind: string): string {
  let resource = guessed.get(kind);
  if (resource === undefined) {
    resource = guessFromSingular(kind.toLowerCase());
    guessed.set(kind, resource);
  }
  return resource;
}

function guessFromSingular(singular: string): string {
  const irregular = IRREGULAR_RESOURCES[singular];
  if (irregular) return irregular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function labelsMatch(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

const wildcardOr = (list: readonly string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);

/**
 * Groups serving the same resource, for `matchPolicy: Equivalent` (the default): a rule for
 * `apps/v1` Deployments also matches a Deployment sent as `extensions/v1beta1` or `apps/v1beta2`.
 */
const EQUIVALENT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  deployments: ['apps', 'extensions'],
  daemonsets: ['apps', 'extensions'],
  replicasets: ['apps', 'extensions'],
  statefulsets: ['apps'],
  ingresses: ['networking.k8s.io', 'extensions'],
  networkpolicies: ['networking.k8s.io', 'extensions'],
  podsecuritypolicies: ['policy', 'extensions'],
  cronjobs: ['batch'],
  horizontalpodautoscalers: ['autoscaling'],
  poddisruptionbudgets: ['policy'],
  events: ['', 'events.k8s.io'],
};

function groupVersionMatches(rule: ResourceRule, attrs: ResourceAttributes, equivalent: boolean): boolean {
  if (wildcardOr(rule.apiGroups, attrs.group) && wildcardOr(rule.apiVersions, attrs.version)) return true;
  if (!equivalent) return false;
  // Equivalent: the same resource in any served version of an equivalent group.
  const groups = EQUIVALENT_GROUPS[attrs.resource] ?? [attrs.group];
  return groups.includes(attrs.group) && groups.some((g) => wildcardOr(rule.apiGroups, g)) && (rule.apiVersions ?? []).length > 0;
}

/** k8s.io/apiserver rules.Matcher for the evaluated operation and subresource. */
function ruleMatches(rule: ResourceRule, attrs: ResourceAttributes, equivalent = true): boolean {
  if (!wildcardOr(rule.operations, attrs.operation)) return false;
  if (!groupVersionMatches(rule, attrs, equivalent)) return false;
  const resourceMatches = (rule.resources ?? []).some((pattern) => {
    const [res, sub = ''] = pattern.split('/', 2);
    return (res === '*' || res === attrs.resource) && (sub === '*' || sub === (attrs.subresource ?? ''));
  });
  if (!resourceMatches) return false;
  const namespaced = attrs.namespace !== '' || !CLUSTER_SCOPED_KINDS.has(attrs.kind);
  if (rule.scope === 'Cluster' && namespaced) return false;
  if (rule.scope === 'Namespaced' && !namespaced) return false;
  return true;
}

/** Kyverno's matchesResourceRules: names compare to `metadata.name`, or prefix `generateName` when there is no name. */
function anyRuleMatches(rules: readonly ResourceRule[] | undefined, attrs: ResourceAttributes, equivalent: boolean): boolean {
  for (const rule of rules ?? []) {
    if (!ruleMatches(rule, attrs, equivalent)) continue;
    const names = rule.resourceNames ?? [];
    if (names.length === 0) return true;
    if (attrs.name === '' ? names.some((n) => attrs.generateName.startsWith(n)) : names.includes(attrs.name)) return true;
  }
  return false;
}

/**
 * The part of matching that depends only on the object's type, so callers can cache it per
 * apiVersion/kind and skip policies that can never apply.
 */
export function matchesType(constraints: MatchConstraints | undefined, attrs: ResourceAttributes): boolean {
  if (!constraints) return false;
  const rules = constraints.resourceRules ?? [];
  const equivalent = constraints.matchPolicy !== 'Exact';
  return rules.length === 0 || rules.some((rule) => ruleMatches(rule, attrs, equivalent));
}

/** Whether `matchesConstraints` can say more than `matchesType` (selectors, exclusions, names, scope). */
export function needsFullMatch(constraints: MatchConstraints | undefined): boolean {
  if (!constraints) return false;
  return (
    !isEmptySelector(constraints.namespaceSelector) ||
    !isEmptySelector(constraints.objectSelector) ||
    (constraints.excludeResourceRules ?? []).length > 0 ||
    (constraints.resourceRules ?? []).some((rule) => (rule.resourceNames ?? []).length > 0 || (rule.scope !== undefined && rule.scope !== '*'))
  );
}

/**
 * Full matching. `namespaceLabels` are the labels of the object's namespace; when the input holds
 * no such Namespace, Kyverno assumes a namespace with only `kubernetes.io/metadata.name`.
 */
export function matchesConstraints(
  constraints: MatchConstraints | undefined,
  attrs: ResourceAttributes,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!constraints) return false;
  if (!isEmptySelector(constraints.namespaceSelector) && (attrs.namespace !== '' || attrs.resource === 'namespaces')) {
    const labels =
      attrs.resource === 'namespaces' ? attrs.labels : (namespaceLabels ?? { 'kubernetes.io/metadata.name': attrs.namespace });
    if (!labelsMatch(constraints.namespaceSelector, labels)) return false;
  }
  if (!labelsMatch(constraints.objectSelector, attrs.labels)) return false;
  const equivalent = constraints.matchPolicy !== 'Exact';
  if (anyRuleMatches(constraints.excludeResourceRules, attrs, equivalent)) return false;
  const rules = constraints.resourceRules ?? [];
  return rules.length === 0 || anyRuleMatches(rules, attrs, equivalent);
}
