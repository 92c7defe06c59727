/**
 * The CIS collector image: its repository must be named `bottlerocket-eks-cis-collector`, because
 * the collector's PolicyException (src/policies/exceptions/cis-collector.yaml) matches that name;
 * an image from another repository would run without its exception and be reported. Its
 * repository also appears in a Falco rule condition (`container.image.repository = "..."`), so
 * characters that would break that syntax are refused.
 */
import { problemAt, type ConfigCheck } from './validator.js';

export const CIS_COLLECTOR_REPOSITORY = 'bottlerocket-eks-cis-collector';

/** The repository name of an image reference: the last path segment, without tag or digest. */
export function imageRepositoryName(reference: string): string {
  return reference.split('@')[0]!.replace(/:[\w][\w.-]*$/, '').split('/').pop() ?? '';
}

/** Characters a Falco condition cannot hold in an unescaped string literal. */
const FALCO_CONDITION_UNSAFE = /["\\\s,()]/;

export const checkCisImages: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    const path = ['environments', index, 'cis', 'image'];
    const repository = imageRepositoryName(env.cis.image);
    if (repository !== CIS_COLLECTOR_REPOSITORY) {
      return [problemAt(source, path, `the CIS collector image must come from a repository named ${CIS_COLLECTOR_REPOSITORY} (its PolicyException matches that name), got ${repository}`)];
    }
    const reference = env.cis.image.split('@')[0]!;
    return FALCO_CONDITION_UNSAFE.test(reference) ? [problemAt(source, path, `${JSON.stringify(reference)} cannot be used in a Falco rule condition (no quotes, backslashes, spaces, commas or parentheses)`)] : [];
  });
