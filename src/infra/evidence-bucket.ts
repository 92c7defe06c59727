/**
 * The environment's evidence bucket: CIS reports (`cis/`) and Falco events (`falco/`) land here
 * and cannot be altered for the retention period (S3 Object Lock). Encrypted with a
 * customer-managed key, TLS only, never public, access-logged to a separate log bucket that
 * meets the same Control Tower controls.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { exceptBreakGlass } from './break-glass.js';
import { platformKey } from './kms.js';
import { servicePrincipalFor } from './trust.js';

/**
 * Bucket actions only the break-glass principal may call: deleting the bucket, or changing what
 * keeps its objects (Object Lock), who can reach them (the policy) or how they are encrypted.
 */
export const BUCKET_ACTIONS_DENIED_EXCEPT_BREAK_GLASS = [
  's3:DeleteBucket',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutEncryptionConfiguration',
] as const;

export interface EvidenceBucketProps {
  /** Globally unique bucket name; see `evidenceBucketName()` in src/config/resolve/names.ts. */
  readonly bucketName: string;
  /** Globally unique name of the bucket receiving the server access logs; see `accessLogBucketName()` in src/config/resolve/names.ts. */
  readonly accessLogBucketName: string;
  /** Object Lock default retention of every object, in days. */
  readonly retentionDays: number;
  /**
   * COMPLIANCE: nobody, root included, can shorten retention. GOVERNANCE: principals with
   * s3:BypassGovernanceRetention can, for short-lived environments.
   *
   * @default 'COMPLIANCE'
   */
  readonly objectLockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  /**
   * Days the access logs are kept.
   *
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

/** Settings both buckets share: private, TLS only, versioned, Object Lock on (CT.S3.PR.1-12). */
function hardenedBucketProps(key: kms.IKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    objectLockEnabled: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  /** Receives the evidence bucket's server access logs (and its own). */
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    const retention = Duration.days(props.retentionDays);
    const logRetention = Duration.days(props.accessLogRetentionDays ?? 365);
    this.key = platformKey(this, 'Key', `Evidence bucket ${props.bucketName}`);
    const logKey = platformKey(this, 'AccessLogKey', `Access logs of ${props.bucketName}`);
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...hardenedBucketProps(logKey),
      bucketName: props.accessLogBucketName,
      // The end of the logging chain logs to itself; log delivery refuses a bucket with default Object Lock retention, so none is set here.
      serverAccessLogsPrefix: 'self/',
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: logRetention, noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...hardenedBucketProps(this.key),
      bucketName: props.bucketName,
      objectLockDefaultRetention:
        props.objectLockMode === 'GOVERNANCE' ? s3.ObjectLockRetention.governance(retention) : s3.ObjectLockRetention.compliance(retention),
      // Evidence is never expired by lifecycle; Object Lock and the retention period govern it.
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    // S3 log delivery writes SSE-KMS objects with a customer-managed key when the key policy lets
    // logging.s3 use it (only the AWS-managed aws/s3 key and DSSE are refused for log targets;
    // aws-cdk #25350 verified delivery in an integration test). Only for this account's two buckets.
    // ARNs from the names: the buckets' own ARN attributes would make the key depend on the buckets that depend on it.
    const partition = Stack.of(this).partition;
    const [evidenceArn, logArn] = [props.bucketName, props.accessLogBucketName].map((name) => `arn:${partition}:s3:::${name}`) as [string, string];
    logKey.grantEncrypt(servicePrincipalFor(this, 'logging.s3.amazonaws.com', [evidenceArn, logArn]));
    // Logging set on the L1: the L2's serverAccessLogsBucket would also grant logging.s3 encrypt
    // and decrypt on the log key without any condition. The delivery permission is the bucket
    // policy statement the L2 would add, conditioned on the evidence bucket.
    const logPrefix = `${props.bucketName}/`;
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: this.accessLogBucket.bucketName, logFilePrefix: logPrefix };
    this.accessLogBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [servicePrincipalFor(this, 'logging.s3.amazonaws.com', [evidenceArn])],
        actions: ['s3:PutObject'],
        resources: [this.accessLogBucket.arnForObjects(`${logPrefix}*`)],
      }),
    );
    this.protectEvidence();
    for (const bucket of [this.accessLogBucket, this.bucket]) {
      // Object events go to EventBridge for the SOC (CT.S3.PR.4). Set on the L1: the L2's
      // `eventBridgeEnabled` deploys a notification-handler Lambda.
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
      Validations.of(bucket).acknowledge({
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason: 'Evidence is protected in place by Object Lock and versioning; a replica in a second region is an organisation-level choice outside ADR-15.',
      });
    }
  }

  /**
   * The evidence bucket's policy: only break-glass may delete it or change its Object Lock,
   * encryption or policy; no object may be written with another key or without SSE-KMS. Writers
   * that send no encryption headers get the bucket default (this key), so the denies use
   * `IfExists`.
   */
  private protectEvidence(): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyBucketDestructionExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...BUCKET_ACTIONS_DENIED_EXCEPT_BREAK_GLASS],
        resources: [this.bucket.bucketArn],
        conditions: exceptBreakGlass(this),
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPutsWithAnotherKey',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.keyArn } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPutsWithoutSseKms',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    );
    // Deleting the stack would call DeleteBucketPolicy, which the policy denies: keep it with the bucket.
    this.bucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /** ARN pattern of the objects under one evidence prefix, e.g. `cis/`. */
  objectsUnder(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }
}
