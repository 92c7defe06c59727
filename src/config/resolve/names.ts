/**
 * Names derived from `project` and the environment, which both layers must agree on, and the
 * limits of the services that take them: an S3 bucket name has at most 63 characters, lower-case
 * letters, digits, dots and dashes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
import type { EnvironmentConfig, PlatformConfig } from '../schema.js';
import { problemAt, type ConfigCheck } from './validator.js';

export const S3_BUCKET_NAME_MAX = 63;

export function clusterName(platform: Pick<PlatformConfig, 'project'>, env: Pick<EnvironmentConfig, 'name'>): string {
  return `${platform.project}-${env.name}`;
}

export function stackName(platform: Pick<PlatformConfig, 'project'>, env: Pick<EnvironmentConfig, 'name'>): string {
  return `${platform.project}-${env.name}`;
}

/** Globally unique (account and region in the name) and known before deployment. */
export function evidenceBucketName(platform: Pick<PlatformConfig, 'project'>, env: Pick<EnvironmentConfig, 'name' | 'account' | 'region'>): string {
  return `${platform.project}-${env.name}-evidence-${env.account}-${env.region}`;
}

/**
 * The bucket receiving the evidence bucket's server access logs. Named, so the log key's policy
 * can name both buckets S3 log delivery may act for (`aws:SourceArn`) without a dependency cycle;
 * never longer than the evidence bucket's name, so `checkBucketNames` covers it.
 */
export function accessLogBucketName(platform: Pick<PlatformConfig, 'project'>, env: Pick<EnvironmentConfig, 'name' | 'account' | 'region'>): string {
  return `${platform.project}-${env.name}-logs-${env.account}-${env.region}`;
}

export const checkBucketNames: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, index) => {
    const name = evidenceBucketName(config, env);
    if (name.length <= S3_BUCKET_NAME_MAX) return [];
    const spare = S3_BUCKET_NAME_MAX - (name.length - config.project.length - env.name.length);
    return [
      problemAt(
        source,
        ['environments', index, 'name'],
        `the evidence bucket name ${name} has ${name.length} characters, S3 allows ${S3_BUCKET_NAME_MAX}: shorten \`project\` and this environment's name to ${spare} characters together (now ${config.project.length + env.name.length})`,
      ),
    ];
  });
