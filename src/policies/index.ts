/**
 * The ADR-15 policy set, owned here and only here: where its files live, reading them (once per
 * run, by the policy engine's own reader, so the cluster layer ships objects decoded as the API
 * server decodes them), and which of them ship to an environment. The YAML under `src/policies/` is
 * the single source for the cluster layer and the offline gate; the paths resolve to it from both
 * the TypeScript sources and the compiled `build/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from '../common/names.js';
import { UserInputError } from '../common/errors.js';
import { positionOf } from '../common/yaml-source.js';
import { parseObjects, type SourceObject } from '../policy-engine/index.js';

/** The folder holding `validating/`, `exceptions/` and `tests/`. */
export const POLICIES_DIR = fileURLToPath(new URL('../../src/policies/', import.meta.url));

/** Kyverno ValidatingPolicies, one per Bottlerocket SECURITY_GUIDANCE item. */
export const POLICY_DIR = join(POLICIES_DIR, 'validating/');

/** PolicyExceptions (namespace kyverno), one per system component. */
export const EXCEPTION_DIR = join(POLICIES_DIR, 'exceptions/');

/** Kyverno CLI test suites for the policies and exceptions above. */
export const TEST_DIR = join(POLICIES_DIR, 'tests/');

/**
 * Only needed when Falco runs without `leastPrivileged` (config `falco.leastPrivileged: false`):
 * the cluster layer ships it only then, so a privileged Falco elsewhere is reported.
 */
export const PRIVILEGED_FALCO_EXCEPTION = 'falco-privileged-driver.yaml';

export const POLICY_API_GROUP = 'policies.kyverno.io';
const POLICY_KINDS = ['ValidatingPolicy', 'NamespacedValidatingPolicy'] as const;
const EXCEPTION_KIND = 'PolicyException';

/** One policy file and the objects in it. */
export interface PolicyFile {
  /** File name, e.g. `bottlerocket-disallow-privileged.yaml`. */
  readonly name: string;
  readonly objects: readonly SourceObject[];
}

/** Every policy and exception file of a policy folder, read and checked. */
export interface PolicyLibrary {
  readonly policies: readonly PolicyFile[];
  readonly exceptions: readonly PolicyFile[];
}

/** `*.yaml`/`*.yml` files of a folder in name order; a missing folder holds none yet. */
function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => /\.ya?ml$/.test(name)).sort();
}

function refuse(origin: SourceObject, path: string[], message: string): UserInputError {
  return new UserInputError(message, { position: positionOf(origin.source, [...origin.path, ...path]), field: path.join('.') || '(root)' });
}

function readPolicyFile(dir: string, name: string, kinds: readonly string[]): PolicyFile {
  const file = join(dir, name);
  const objects = parseObjects(file, readFileSync(file, 'utf8'));
  for (const origin of objects) {
    const { apiVersion, kind, metadata } = origin.object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (typeof apiVersion !== 'string' || apiVersion.split('/')[0] !== POLICY_API_GROUP) throw refuse(origin, ['apiVersion'], `expected apiVersion ${POLICY_API_GROUP}/<version>`);
    if (typeof kind !== 'string' || !kinds.includes(kind)) throw refuse(origin, ['kind'], `expected kind ${kinds.join(' or ')}`);
    if (typeof metadata?.name !== 'string' || metadata.name === '') throw refuse(origin, ['metadata', 'name'], 'every object needs metadata.name');
    // Kyverno honours exceptions only in its own namespace (see the kyverno component).
    if (kind === EXCEPTION_KIND && metadata.namespace !== undefined && metadata.namespace !== WORKLOADS.kyverno.namespace) {
      throw refuse(origin, ['metadata', 'namespace'], `policy exceptions must live in namespace "${WORKLOADS.kyverno.namespace}", where Kyverno honours them`);
    }
  }
  return { name, objects };
}

/** Read every file of the policy folder once; shape problems are `UserInputError`s with positions. */
export function loadPolicyLibrary(dir: string = POLICIES_DIR): PolicyLibrary {
  const validating = join(dir, 'validating');
  const exceptions = join(dir, 'exceptions');
  return {
    policies: yamlFiles(validating).map((name) => readPolicyFile(validating, name, POLICY_KINDS)),
    exceptions: yamlFiles(exceptions).map((name) => readPolicyFile(exceptions, name, [EXCEPTION_KIND])),
  };
}

/** What decides which exceptions an environment needs. */
export interface ExceptionNeeds {
  readonly falco: { readonly leastPrivileged: boolean };
}

/**
 * Whether the exception in `file` (a name in `exceptions/`) ships to an environment: every
 * exception covers a component each environment runs, except the privileged-Falco one, which only
 * a Falco without `leastPrivileged` needs. A grant nobody needs is a grant someone can misuse.
 */
export function exceptionShips(file: string, env: ExceptionNeeds): boolean {
  return file !== PRIVILEGED_FALCO_EXCEPTION || !env.falco.leastPrivileged;
}

/** The files that ship to `env`: every policy, and every exception it needs (`exceptionShips`). */
export function shippedPolicyFiles(library: PolicyLibrary, env: ExceptionNeeds): PolicyLibrary {
  return { policies: library.policies, exceptions: library.exceptions.filter((file) => exceptionShips(file.name, env)) };
}
