/**
 * Kyverno's autogen for ValidatingPolicies (pkg/cel/policies/vpol/autogen, pkg/cel/autogen): a
 * policy that matches only Pods also runs on pod controllers, with `object.spec`/`object.metadata`
 * rewritten to the pod template. Kyverno rewrites the JSON text of the whole spec, so every string
 * (expressions, messages) is rewritten; `object.metadata.namespace` stays on the controller.
 */
import type { MatchConstraints, ValidatingPolicySpec } from './schema.js';

interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
}

type ReplacementsRef = 'cronjobs' | 'defaults';

const CONTROLLERS: Readonly<Record<string, { target: Target; ref: ReplacementsRef }>> = {
  daemonsets: { target: { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet' }, ref: 'defaults' },
  deployments: { target: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' }, ref: 'defaults' },
  replicasets: { target: { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet' }, ref: 'defaults' },
  statefulsets: { target: { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet' }, ref: 'defaults' },
  jobs: { target: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' }, ref: 'defaults' },
  cronjobs: { target: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob' }, ref: 'cronjobs' },
};

const REPLACEMENTS: Readonly<Record<ReplacementsRef, readonly (readonly [string, string])[]>> = {
  defaults: [
    ['spec', 'spec.template.spec'],
    ['metadata', 'spec.template.metadata'],
  ],
  cronjobs: [
    ['spec', 'spec.jobTemplate.spec.template.spec'],
    ['metadata', 'spec.jobTemplate.spec.template.metadata'],
  ],
};

export interface AutogenVariant {
  /** `defaults` (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs) or `cronjobs`. */
  readonly name: ReplacementsRef;
  readonly kinds: readonly string[];
  readonly spec: ValidatingPolicySpec;
}

/** pkg/cel/autogen CanAutoGen: exactly one rule for core/v1 pods, no object selector, exclusions or names. */
export function canAutogen(match: MatchConstraints | undefined): boolean {
  if (!match) return false;
  const selector = match.objectSelector;
  if (selector && (Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0)) return false;
  if ((match.excludeResourceRules ?? []).length > 0) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const rule = rules[0]!;
  if ((rule.resourceNames ?? []).length > 0) return false;
  const only = (list: readonly string[] | undefined, value: string) => list?.length === 1 && list[0] === value;
  return only(rule.apiGroups, '') && only(rule.apiVersions, 'v1') && only(rule.resources, 'pods');
}

const isIdentifierChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Replace `from` by `to` everywhere except where `.namespace` (as a whole segment) follows. */
function replaceUnprotected(text: string, from: string, to: string): string {
  let out = '';
  let rest = text;
  for (let at = rest.indexOf(from); at >= 0; at = rest.indexOf(from)) {
    out += rest.slice(0, at);
    const after = rest.slice(at + from.length);
    const isProtected = after.startsWith('.namespace') && !isIdentifierChar(after['.namespace'.length]);
    out += isProtected ? from : to;
    rest = after;
  }
  return out + rest;
}

/** Every string of the spec rewritten (CEL lives in strings); other values, BigInt integers included, are kept. */
function rewriteStrings(value: unknown, ref: ReplacementsRef): unknown {
  if (typeof value === 'string') {
    let text = value;
    for (const [from, to] of REPLACEMENTS[ref]) {
      text = replaceUnprotected(text, `object.${from}`, `object.${to}`);
      text = replaceUnprotected(text, `oldObject.${from}`, `oldObject.${to}`);
    }
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, ref));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, ref)]));
  return value;
}

const rewrite = (spec: ValidatingPolicySpec, ref: ReplacementsRef) => rewriteStrings(spec, ref) as ValidatingPolicySpec;

/** The extra policy variants Kyverno generates, sorted by name as Kyverno does. */
export function autogenVariants(spec: ValidatingPolicySpec): AutogenVariant[] {
  if (!canAutogen(spec.matchConstraints)) return [];
  const configured = spec.autogen?.podControllers?.controllers;
  const controllers = configured ?? Object.keys(CONTROLLERS);
  const byRef = new Map<ReplacementsRef, Target[]>();
  for (const controller of controllers) {
    const config = CONTROLLERS[controller];
    if (!config) continue;
    byRef.set(config.ref, [...(byRef.get(config.ref) ?? []), config.target]);
  }
  const operations = spec.matchConstraints?.resourceRules?.[0]?.operations;
  if (!operations || operations.length === 0) return [];
  return [...byRef.keys()].sort().map((ref) => {
    const targets = byRef.get(ref)!;
    const groupVersions = new Map<string, Set<string>>();
    for (const t of targets) {
      const key = `${t.group}/${t.version}`;
      groupVersions.set(key, (groupVersions.get(key) ?? new Set()).add(t.resource));
    }
    const matchConstraints: MatchConstraints = {
      resourceRules: [...groupVersions.keys()].sort().map((key) => {
        const [group = '', version = ''] = key.split('/');
        return { apiGroups: [group], apiVersions: [version], resources: [...groupVersions.get(key)!].sort(), operations };
      }),
      ...(spec.matchConstraints?.namespaceSelector ? { namespaceSelector: spec.matchConstraints.namespaceSelector } : {}),
    };
    const rewritten = rewrite({ ...spec, matchConstraints }, ref);
    return { name: ref, kinds: targets.map((t) => t.kind).sort(), spec: rewritten };
  });
}
