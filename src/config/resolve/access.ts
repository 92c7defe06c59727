/**
 * Who can administer and reach the cluster: every environment names a cluster admin
 * (ADR15-ACCESS-1; the cluster creator, CloudFormation's role, gets no access), and every ARN is
 * in the environment's partition (an `arn:aws:` role cannot be granted in GovCloud).
 */
import type { EnvironmentConfig } from '../schema.js';
import { arnPartition, partitionOf } from './partition.js';
import { problemAt, type ConfigCheck, type FieldPath } from './validator.js';

/** Rule id of "every environment names a cluster admin" (src/gates/adr-catalogue.ts `clusterAdmin`). */
export const CLUSTER_ADMIN_RULE = 'ADR15-ACCESS-1';

function partitionMismatch(arn: string, env: EnvironmentConfig): string | undefined {
  const expected = partitionOf(env.region);
  const actual = arnPartition(arn);
  return actual === expected ? undefined : `${arn} is in partition ${actual ?? '(none)'}, but environment ${env.name} is in ${env.region} (partition ${expected}); use arn:${expected}:...`;
}

export const checkAccess: ConfigCheck = ({ config, source }) => {
  const problems = config.environments.flatMap((env, index) => {
    const at = (...path: Array<string | number>): FieldPath => ['environments', index, 'access', ...path];
    const arns: Array<[FieldPath, string]> = [
      ...env.access.clusterAdminRoleArns.map((arn, i): [FieldPath, string] => [at('clusterAdminRoleArns', i), arn]),
      ...env.access.entries.map((entry, i): [FieldPath, string] => [at('entries', i, 'principalArn'), entry.principalArn]),
    ];
    return [
      ...(env.access.clusterAdminRoleArns.length > 0
        ? []
        : [
            problemAt(
              source,
              at(),
              `environment ${env.name} has no cluster admin, and the cluster creator gets none: add \`access.clusterAdminRoleArns: [arn:${partitionOf(env.region)}:iam::${env.account}:role/<admin role>]\``,
              CLUSTER_ADMIN_RULE,
            ),
          ]),
      ...arns.flatMap(([path, arn]) => {
        const problem = partitionMismatch(arn, env);
        return problem === undefined ? [] : [problemAt(source, path, problem)];
      }),
    ];
  });
  const identityCenter = config.gitops.identityCenterInstanceArn;
  if (config.gitops.managedArgoCd && identityCenter !== undefined) {
    // Every environment's Argo CD capability signs in through this one instance.
    const mismatch = config.environments.map((env) => partitionMismatch(identityCenter, env)).find((problem) => problem !== undefined);
    if (mismatch !== undefined) problems.push(problemAt(source, ['gitops', 'identityCenterInstanceArn'], mismatch));
  }
  return problems;
};
