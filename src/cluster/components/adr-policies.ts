/**
 * The ADR policy set (Kyverno ValidatingPolicies) and the PolicyExceptions the environment needs,
 * as src/policies selects them from the policy library it read (once per run, given in the render
 * context), so the policy owners edit YAML, not this code. `policy.mode` decides whether a
 * violation is denied or only reported.
 */
import { WORKLOADS } from '../../common/names.js';
import { loadPolicyLibrary, shippedPolicyFiles } from '../../policies/index.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from '../component.js';
import { KYVERNO } from './kyverno.js';

export const ADR_POLICIES = 'adr-policies';

/** Audit reports violations; Enforce denies them at admission. */
function withMode(policy: KubernetesObject, mode: 'Audit' | 'Enforce'): KubernetesObject {
  const spec = (policy.spec ?? {}) as Record<string, unknown>;
  return { ...policy, spec: { ...spec, validationActions: [mode === 'Enforce' ? 'Deny' : 'Audit'] } };
}

/** Kyverno honours exceptions only in its own namespace (see the kyverno component; src/policies refuses any other). */
function inExceptionNamespace(exception: KubernetesObject): KubernetesObject {
  return { ...exception, metadata: { ...exception.metadata, namespace: WORKLOADS.kyverno.namespace } };
}

export function adrPoliciesComponent({ env, policies = loadPolicyLibrary() }: RenderContext): ClusterComponent {
  const shipped = shippedPolicyFiles(policies, env);
  const objects = (files: typeof shipped.policies) => files.flatMap((file) => file.objects.map((origin) => origin.object as unknown as KubernetesObject));
  return {
    name: ADR_POLICIES,
    // The policy kinds are Kyverno CRDs; applying them before Kyverno is ready fails.
    dependsOn: [KYVERNO],
    charts: [],
    manifests: [...objects(shipped.policies).map((policy) => withMode(policy, env.policy.mode)), ...objects(shipped.exceptions).map(inExceptionNamespace)],
    images: [],
  };
}
