/**
 * The ADR policy set (Kyverno ValidatingPolicies) and the PolicyExceptions the environment needs,
 * as src/policies selects them from the policy library it read (once per run, given in the render
 * context), so the policy owners edit YAML, not this code. `policy.mode` decides whether a
 * violation is denied or only reported; each exception's images are narrowed to the exact images
 * this environment pulls.
 */
import { WORKLOADS } from '../../common/names.js';
import type { EnvironmentModel } from '../../config/index.js';
import { escapeRegex } from '../../common/regex.js';
import { EKS_ADDON_REGISTRY_PATTERN, eksAddonRegistryPattern } from '../../policies/eks-addon-registries.js';
import { loadPolicyLibrary, shippedPolicyFiles, type PolicyFile } from '../../policies/index.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from '../component.js';
import { IMAGES, imageRegistry, type PinnedImage } from '../images.js';
import { collectorReference } from './cis-collector.js';
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

/**
 * The images an exception of ours may grant, as this environment pulls them: registry (or mirror)
 * and repository pinned, and the digest where one is recorded. Exceptions of the EKS add-ons
 * (kube-system) keep the matcher of their YAML, narrowed to the add-on registry of the region
 * (`withRegionalAddonRegistry`).
 */
function exceptionImages(env: EnvironmentModel): Readonly<Record<string, readonly string[]>> {
  const pinned = (image: PinnedImage) => {
    const name = `${escapeRegex(imageRegistry(image, env.mirror?.registry))}/${escapeRegex(image.repository)}`;
    const tag = image.tag === '' ? '' : `:${escapeRegex(image.tag)}`;
    return image.digest === undefined ? `${name}${tag}(@sha256:[0-9a-f]{64})?` : `${name}${tag}@${escapeRegex(image.digest)}`;
  };
  return {
    'brupop-agent': [pinned(IMAGES.brupop)],
    'brupop-apiserver': [pinned(IMAGES.brupop)],
    'brupop-controller': [pinned(IMAGES.brupop)],
    // falcoctl is not deployed (see the falco component), so only Falco's own image is granted.
    falco: [pinned(IMAGES.falco)],
    'falco-privileged-driver': [pinned(IMAGES.falco)],
    // Ours, and always pinned by digest in config: exactly the reference the DaemonSet runs.
    'cis-collector': [escapeRegex(collectorReference(env))],
  };
}

/** A regex as the text of a CEL string literal holds it (backslashes doubled). */
const celText = (regex: string) => regex.replace(/\\/g, '\\\\');

/** CEL string literal of a regex. */
const celString = (regex: string) => `'${celText(regex)}'`;

/** The exception with its `images` condition narrowed to this environment's exact images. */
function withEnvironmentImages(exception: KubernetesObject, images: Readonly<Record<string, readonly string[]>>): KubernetesObject {
  const allowed = images[exception.metadata.name];
  if (allowed === undefined) return exception;
  const spec = exception.spec as { matchConditions?: Array<{ name: string; expression: string }> };
  const conditions = spec.matchConditions ?? [];
  const matcher = /c\.image\.matches\('[^']*'\)/;
  const index = conditions.findIndex((condition) => condition.name === 'images' && matcher.test(condition.expression));
  if (index === -1) throw new Error(`PolicyException ${exception.metadata.name} has no images condition of the form c.image.matches('...')`);
  const regex = `^(${allowed.join('|')})$`;
  const narrowed = conditions.map((condition, at) => (at === index ? { ...condition, expression: condition.expression.replace(matcher, () => `c.image.matches(${celString(regex)})`) } : condition));
  return { ...exception, spec: { ...spec, matchConditions: narrowed } };
}

/**
 * An EKS add-on exception with its "any add-on registry" pattern replaced by the one registry the
 * environment's region pulls add-ons from. In a region the EKS guide does not list, the YAML's
 * pattern (the guide's accounts, any region) stays.
 */
function withRegionalAddonRegistry(exception: KubernetesObject, region: string): KubernetesObject {
  const regional = eksAddonRegistryPattern(region);
  const spec = exception.spec as { matchConditions?: Array<{ name: string; expression: string }> };
  const generic = celText(EKS_ADDON_REGISTRY_PATTERN);
  const conditions = spec.matchConditions ?? [];
  if (regional === undefined || !conditions.some((condition) => condition.expression.includes(generic))) return exception;
  const matchConditions = conditions.map((condition) => ({ ...condition, expression: condition.expression.split(generic).join(celText(regional)) }));
  return { ...exception, spec: { ...spec, matchConditions } };
}

const objectsOf = (files: readonly PolicyFile[]) => files.flatMap((file) => file.objects.map((origin) => origin.object as unknown as KubernetesObject));

export function adrPoliciesComponent({ env, policies = loadPolicyLibrary() }: RenderContext): ClusterComponent {
  const shipped = shippedPolicyFiles(policies, env);
  const images = exceptionImages(env);
  return {
    name: ADR_POLICIES,
    // The policy kinds are Kyverno CRDs; applying them before Kyverno is ready fails.
    dependsOn: [KYVERNO],
    charts: [],
    manifests: [
      ...objectsOf(shipped.policies).map((policy) => withMode(policy, env.policy.mode)),
      ...objectsOf(shipped.exceptions).map((exception) => inExceptionNamespace(withRegionalAddonRegistry(withEnvironmentImages(exception, images), env.region))),
    ],
    images: [],
  };
}
