/**
 * A CloudWatch Logs group as the platform creates them: encrypted with its own customer-managed
 * key (`platformKey`) that the regional Logs service may use for this account's log groups (or
 * the one named: `logsKeyPrincipal`), with a set retention, kept when the
 * stack is deleted (logs are evidence). A named group collides with its retained predecessor
 * when a stack is rebuilt: deploy the rebuild with `--import-existing-resources` (see README).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { platformKey } from './kms.js';
import { logsKeyPrincipal } from './trust.js';

export interface EncryptedLogGroupProps {
  /** What the key protects, for its description. */
  readonly purpose: string;
  readonly retention: logs.RetentionDays;
  /** @default - a name CloudFormation generates */
  readonly logGroupName?: string;
  /** Construct id of the key. @default `${id}Key` */
  readonly keyId?: string;
}

export interface EncryptedLogGroup {
  readonly logGroup: logs.LogGroup;
  readonly key: kms.Key;
}

/** Creates the log group `id` and its key in `scope`. */
export function encryptedLogGroup(scope: Construct, id: string, props: EncryptedLogGroupProps): EncryptedLogGroup {
  const key = platformKey(scope, props.keyId ?? `${id}Key`, props.purpose);
  key.grantEncryptDecrypt(logsKeyPrincipal(scope, props.logGroupName));
  const logGroup = new logs.LogGroup(scope, id, {
    ...(props.logGroupName === undefined ? {} : { logGroupName: props.logGroupName }),
    encryptionKey: key,
    retention: props.retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { logGroup, key };
}
