/** Loading a policy set (policies plus exceptions) from files and directories into an engine. */
import { UserInputError } from '../common/errors.js';
import { CelCompiler, compilePolicy } from './compile.js';
import { readObjects, type SourceObject } from './documents.js';
import { PolicyEngine } from './evaluate.js';
import { loadExceptions, loadPolicies } from './load-policies.js';
import { ObjectMemo } from './memo.js';

export interface PolicySetSources {
  readonly policies: readonly SourceObject[];
  readonly exceptions: readonly SourceObject[];
}

/** Compile policies and the exceptions that name them; duplicate policy names are an error. */
export function compilePolicySet({ policies, exceptions }: PolicySetSources): PolicyEngine {
  const loadedPolicies = loadPolicies(policies);
  const loadedExceptions = loadExceptions(exceptions);
  const seen = new Map<string, SourceObject>();
  for (const { value, origin } of loadedPolicies) {
    const key = `${value.kind}/${value.metadata.namespace ?? ''}/${value.metadata.name}`;
    const first = seen.get(key);
    if (first) {
      throw new UserInputError(`duplicate ${value.kind} ${value.metadata.name} (first defined in ${first.file}:${first.line})`, {
        position: { file: origin.file, line: origin.line, col: 1 },
      });
    }
    seen.set(key, origin);
  }
  const compiler = new CelCompiler(new ObjectMemo());
  return new PolicyEngine(
    loadedPolicies.flatMap((policy) => compilePolicy(compiler, policy, loadedExceptions)),
    compiler.memo,
  );
}

/** Read and compile the policy set under the given paths (files or directory trees). */
export async function loadPolicySet(policyPaths: readonly string[], exceptionPaths: readonly string[]): Promise<PolicyEngine> {
  const policies = await readObjects(policyPaths);
  if (policies.length === 0) throw new UserInputError(`no policies found in ${policyPaths.join(', ')}`);
  return compilePolicySet({ policies, exceptions: await readObjects(exceptionPaths) });
}
