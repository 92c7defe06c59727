/**
 * The environment's evidence bucket: CIS reports (`cis/`) and Falco events (`falco/`) land here
 * and cannot be altered for the retention period (S3 Object Lock). Encrypted with a
 * customer-managed key, TLS only, never public, access-logged to a separate log bucket that
 * meets the same Control Tower controls.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { platformKey } from './kms.js';

export interface EvidenceBucketProps {
  /** Globally unique bucket name; see `evidenceBucketName()` in src/common/names.ts. */
  readonly bucketName: string;
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
    // S3 log delivery encrypts with the customer-managed key when its key policy lets it.
    logKey.grantEncrypt(new iam.ServicePrincipal('logging.s3.amazonaws.com'));
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...hardenedBucketProps(logKey),
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
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      // Evidence is never expired by lifecycle; Object Lock and the retention period govern it.
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
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

  /** ARN pattern of the objects under one evidence prefix, e.g. `cis/`. */
  objectsUnder(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }
}
