/**
 * Where the ADR-15 policy set lives. The YAML under src/ is the single source for the cluster (the
 * GitOps layer ships it as is) and for the offline gate, so the paths resolve to src/ from both the
 * TypeScript sources and the compiled build/.
 */
import { fileURLToPath } from 'node:url';

/** Kyverno ValidatingPolicies, one per Bottlerocket SECURITY_GUIDANCE item. */
export const POLICY_DIR = fileURLToPath(new URL('../../src/policies/validating/', import.meta.url));

/**
 * Checks for guidance items that today's system components fail (seccomp required, drop ALL,
 * root group): ready and tested, not shipped until their exceptions grant them (README).
 */
export const PROPOSED_POLICY_DIR = fileURLToPath(new URL('../../src/policies/proposed/', import.meta.url));

/** PolicyExceptions (namespace kyverno), one per system component. */
export const EXCEPTION_DIR = fileURLToPath(new URL('../../src/policies/exceptions/', import.meta.url));

/** Kyverno CLI test suites for the policies and exceptions above. */
export const TEST_DIR = fileURLToPath(new URL('../../src/policies/tests/', import.meta.url));

/**
 * Only needed when Falco runs without `leastPrivileged` (config `falco.leastPrivileged: false`):
 * the cluster layer leaves this file out otherwise, so a privileged Falco is reported.
 */
export const PRIVILEGED_FALCO_EXCEPTION = 'falco-privileged-driver.yaml';

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
