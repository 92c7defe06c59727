/**
 * The ADR policy set (Kyverno ValidatingPolicies) and its PolicyExceptions, read from the policy
 * folder at render time so the policy owners edit YAML, not this code. `policy.mode` decides
 * whether a violation is denied or only reported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap } from 'yaml';
import { UserInputError } from '../../common/errors.js';
import { WORKLOADS } from '../../common/names.js';
import { parseYamlStream, positionOf, type YamlSource } from '../../common/yaml-source.js';
import { DEFAULT_POLICY_DIR } from '../../policy-engine/index.js';
import { exceptionShips } from '../../policies/index.js';
import type { EnvironmentModel } from '../../config/index.js';
import { IMAGES, imageRegistry, type PinnedImage } from '../images.js';
import { collectorReference } from './cis-collector.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from '../component.js';
import { KYVERNO } from './kyverno.js';

export const ADR_POLICIES = 'adr-policies';

/** The project's `src/policies/`, the same folder the policy engine loads by default. */
export const DEFAULT_POLICIES_DIR = dirname(DEFAULT_POLICY_DIR);

export const POLICY_API_GROUP = 'policies.kyverno.io';
const POLICY_KINDS = ['ValidatingPolicy', 'NamespacedValidatingPolicy'] as const;
const EXCEPTION_KIND = 'PolicyException';

/** `*.yaml`/`*.yml` files of a folder in name order; a missing folder holds no policies yet. */
function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name));
}

type SourcedObject = { object: KubernetesObject; source: YamlSource };

/** Checked objects by file, kinds and text: every environment renders the same folder, so a file is parsed once per process. */
const parsedFiles = new Map<string, readonly SourcedObject[]>();

function objectsIn(file: string, expectedKinds: readonly string[]): readonly SourcedObject[] {
  const text = readFileSync(file, 'utf8');
  const key = JSON.stringify([file, expectedKinds, text]);
  let objects = parsedFiles.get(key);
  if (objects === undefined) {
    objects = parseObjectsIn(file, text, expectedKinds);
    parsedFiles.set(key, objects);
  }
  return objects;
}

function parseObjectsIn(file: string, text: string, expectedKinds: readonly string[]): SourcedObject[] {
  return parseYamlStream(file, text).flatMap((source) => {
    if (source.document.contents === null) return [];
    const refuse = (path: string[], message: string) => new UserInputError(message, { position: positionOf(source, path), field: path.join('.') || '(root)' });
    if (!isMap(source.document.contents)) throw refuse([], 'expected a Kubernetes object');
    const object = source.document.toJS() as Record<string, unknown>;
    const apiGroup = typeof object.apiVersion === 'string' ? object.apiVersion.split('/')[0] : undefined;
    if (apiGroup !== POLICY_API_GROUP) throw refuse(['apiVersion'], `expected apiVersion ${POLICY_API_GROUP}/<version>`);
    if (typeof object.kind !== 'string' || !expectedKinds.includes(object.kind)) throw refuse(['kind'], `expected kind ${expectedKinds.join(' or ')}`);
    const metadata = object.metadata as Record<string, unknown> | undefined;
    if (typeof metadata?.name !== 'string' || metadata.name === '') throw refuse(['metadata', 'name'], 'every object needs metadata.name');
    return [{ object: object as unknown as KubernetesObject, source }];
  });
}

/** Audit reports violations; Enforce denies them at admission. */
function withMode(policy: KubernetesObject, mode: 'Audit' | 'Enforce'): KubernetesObject {
  const spec = (policy.spec ?? {}) as Record<string, unknown>;
  return { ...policy, spec: { ...spec, validationActions: [mode === 'Enforce' ? 'Deny' : 'Audit'] } };
}

/** Kyverno honours exceptions only in its own namespace (see the kyverno component). */
function inExceptionNamespace({ object, source }: SourcedObject): KubernetesObject {
  const namespace = WORKLOADS.kyverno.namespace;
  if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
    throw new UserInputError(`policy exceptions must live in namespace "${namespace}", where Kyverno honours them`, {
      position: positionOf(source, ['metadata', 'namespace']),
      field: 'metadata.namespace',
    });
  }
  return { ...object, metadata: { ...object.metadata, namespace } };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The images an exception of ours may grant, as this environment pulls them: registry (or mirror)
 * and repository pinned, and the digest where one is recorded. Exceptions of the EKS add-ons
 * (kube-system) keep the matcher of their YAML, which pins the add-on registries.
 */
function exceptionImages(env: EnvironmentModel): Readonly<Record<string, readonly string[]>> {
  const pinned = (image: PinnedImage) => {
    const name = `${escape(imageRegistry(image, env.mirror?.registry))}/${escape(image.repository)}`;
    const tag = image.tag === '' ? '' : `:${escape(image.tag)}`;
    return image.digest === undefined ? `${name}${tag}(@sha256:[0-9a-f]{64})?` : `${name}${tag}@${escape(image.digest)}`;
  };
  return {
    'brupop-agent': [pinned(IMAGES.brupop)],
    'brupop-apiserver': [pinned(IMAGES.brupop)],
    'brupop-controller': [pinned(IMAGES.brupop)],
    // falcoctl is not deployed (see the falco component), so only Falco's own image is granted.
    falco: [pinned(IMAGES.falco)],
    'falco-privileged-driver': [pinned(IMAGES.falco)],
    falcosidekick: [pinned(IMAGES.falcosidekick)],
    // Ours, and always pinned by digest in config: exactly the reference the DaemonSet runs.
    'cis-collector': [escape(collectorReference(env))],
  };
}

/** CEL string literal of a regex (backslashes doubled). */
const celString = (regex: string) => `'${regex.replace(/\\/g, '\\\\')}'`;

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

export function adrPoliciesComponent({ env, policiesDir = DEFAULT_POLICIES_DIR }: RenderContext): ClusterComponent {
  const policies = yamlFiles(join(policiesDir, 'validating')).flatMap((file) => objectsIn(file, POLICY_KINDS));
  const images = exceptionImages(env);
  const exceptions = yamlFiles(join(policiesDir, 'exceptions'))
    .filter((file) => exceptionShips(basename(file), env))
    .flatMap((file) => objectsIn(file, [EXCEPTION_KIND]))
    .map((sourced) => ({ ...sourced, object: withEnvironmentImages(sourced.object, images) }));
  return {
    name: ADR_POLICIES,
    // The policy kinds are Kyverno CRDs; applying them before Kyverno is ready fails.
    dependsOn: [KYVERNO],
    charts: [],
    manifests: [...policies.map(({ object }) => withMode(object, env.policy.mode)), ...exceptions.map(inExceptionNamespace)],
    images: [],
  };
}
