/**
 * The resolve pass: loaded config → `PlatformModel`. Every check of `CHECKS` runs on the whole
 * config and all problems are reported together (each with `file:line:col` and its field path);
 * only a config without problems becomes a model. `config validate` runs exactly this, and
 * `synth`, `cdk synth` and every renderer start from its result, so no input problem can
 * surface later.
 *
 * Adding a check: a module here exporting a `ConfigCheck` (see `validator.ts`), listed in `CHECKS`.
 * Adding a derived value: a field of the model (`../model.ts`) set in `resolveEnvironment`.
 */
import { UserInputErrors } from '../../common/errors.js';
import type { EnvironmentModel, PlatformModel } from '../model.js';
import type { EnvironmentConfig, PlatformConfig } from '../schema.js';
import { checkCisImages, imageRepositoryName } from './cis-image.js';
import { checkArgoCdPrerequisites } from './gitops.js';
import { accessLogBucketName, checkBucketNames, clusterName, evidenceBucketName, stackName } from './names.js';
import { checkAccess } from './access.js';
import { checkCidrs } from './cidrs.js';
import { availabilityZones, checkAvailabilityZones, checkVpcCapacity, SUBNET_GROUPS } from './network.js';
import { checkDataVolumes } from './volumes.js';
import { checkClusterAutoscaler, clusterAutoscalerEnabled } from './cluster-autoscaler.js';
import { bottlerocketAmiType, checkInstanceArchitectures } from './node-groups.js';
import { partitionOf } from './partition.js';
import type { ConfigCheck, ResolveInput } from './validator.js';

export type { ConfigCheck, ResolveInput } from './validator.js';
export { problemAt } from './validator.js';
export { CIS_COLLECTOR_REPOSITORY, imageRepositoryName } from './cis-image.js';
export { S3_BUCKET_NAME_MAX } from './names.js';
export { defaultAvailabilityZones, SUBNET_GROUPS } from './network.js';
export { bottlerocketAmiType, instanceArchitecture } from './node-groups.js';
export { arnPartition, partitionOf } from './partition.js';
export { CLUSTER_ADMIN_RULE } from './access.js';
export { networkOf } from './cidrs.js';
export { regionFacts, zoneNames } from './regions.js';

/** Every check of the resolve pass, in reporting order. */
export const CHECKS: readonly ConfigCheck[] = [
  checkBucketNames,
  checkAccess,
  checkInstanceArchitectures,
  checkDataVolumes,
  checkAvailabilityZones,
  checkCidrs,
  checkVpcCapacity,
  checkCisImages,
  checkArgoCdPrerequisites,
  checkClusterAutoscaler,
];

const IN_CLUSTER = 'https://kubernetes.default.svc';

function resolveEnvironment(config: PlatformConfig, env: EnvironmentConfig, index: number): EnvironmentModel {
  const partition = partitionOf(env.region);
  const name = clusterName(config, env);
  const clusterArn = `arn:${partition}:eks:${env.region}:${env.account}:cluster/${name}`;
  const { gitops } = config;
  return {
    ...env,
    index,
    nodeGroups: env.nodeGroups.map((group) => ({ ...group, amiType: bottlerocketAmiType(group.architecture, group.fips) })),
    partition,
    clusterName: name,
    clusterArn,
    stackName: stackName(config, env),
    evidenceBucketName: evidenceBucketName(config, env),
    accessLogBucketName: accessLogBucketName(config, env),
    availabilityZones: availabilityZones(env),
    subnetGroups: 'createVpc' in env.network ? SUBNET_GROUPS : [],
    cisImageRepository: imageRepositoryName(env.cis.image),
    clusterAutoscaler: { ...env.clusterAutoscaler, enabled: clusterAutoscalerEnabled(env) },
    ...(gitops.controller === 'argocd' && gitops.repository !== undefined
      ? {
          argoCd: {
            repository: gitops.repository,
            // The EKS capability addresses clusters by ARN; it does not support the in-cluster URL.
            destinationServer: gitops.managedArgoCd ? clusterArn : IN_CLUSTER,
            ...(gitops.managedArgoCd && gitops.identityCenterInstanceArn !== undefined ? { managedIdentityCenterInstanceArn: gitops.identityCenterInstanceArn } : {}),
          },
        }
      : {}),
  };
}

/** Check the loaded config and derive the model; throws `UserInputError(s)` listing every problem. */
export function resolvePlatform(loaded: ResolveInput): PlatformModel {
  const problems = CHECKS.flatMap((check) => check(loaded));
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new UserInputErrors(problems);
  const { config } = loaded;
  return { ...config, environments: config.environments.map((env, index) => resolveEnvironment(config, env, index)) };
}
