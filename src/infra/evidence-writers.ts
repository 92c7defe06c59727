/**
 * The two workloads that write evidence, each with a Pod Identity role scoped to its own prefix:
 * falcosidekick may put objects under `falco/` (and write to the SOC log group, if any), the
 * CIS collector under `cis/`. Neither may read, list, delete or touch the other's prefix.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX, WORKLOADS, type WorkloadIdentity } from '../common/names.js';
import type { EvidenceBucket } from './evidence-bucket.js';
import { encryptedLogGroup } from './log-group.js';
import { PodIdentityRole } from './pod-identity.js';

export interface EvidenceWritersProps {
  readonly cluster: eks.ICluster;
  readonly evidence: EvidenceBucket;
  /**
   * CloudWatch Logs group falcosidekick also forwards to; created here, KMS-encrypted.
   *
   * @default - no log group
   */
  readonly falcoLogGroupName?: string;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly falcoLogRetention?: logs.RetentionDays;
}

export class EvidenceWriters extends Construct {
  readonly falcosidekick: PodIdentityRole;
  readonly cisCollector: PodIdentityRole;
  readonly falcoLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EvidenceWritersProps) {
    super(scope, id);
    if (props.falcoLogGroupName) {
      this.falcoLogGroup = encryptedLogGroup(this, 'FalcoLogGroup', {
        keyId: 'FalcoLogKey',
        purpose: `Falco events log group ${props.falcoLogGroupName}`,
        logGroupName: props.falcoLogGroupName,
        retention: props.falcoLogRetention ?? logs.RetentionDays.ONE_YEAR,
      }).logGroup;
    }
    const logStatements = this.falcoLogGroup
      ? [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: [this.falcoLogGroup.logGroupArn] })]
      : [];
    this.falcosidekick = this.writer('Falcosidekick', props, WORKLOADS.falcosidekick, EVIDENCE_PREFIX.falco, logStatements);
    this.cisCollector = this.writer('CisCollector', props, WORKLOADS.cisCollector, EVIDENCE_PREFIX.cis, []);
  }

  private writer(id: string, props: EvidenceWritersProps, workload: WorkloadIdentity, prefix: string, extra: iam.PolicyStatement[]): PodIdentityRole {
    const identity = new PodIdentityRole(this, id, {
      cluster: props.cluster,
      workload,
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.evidence.objectsUnder(prefix)] }),
        // SSE-KMS uploads need a data key from the bucket key; nothing else of the key.
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [props.evidence.key.keyArn] }),
        ...extra,
      ],
    });
    const bucketLogicalId = Stack.of(this).getLogicalId(props.evidence.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(identity).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
      reason: `The wildcard is the object key only: ${workload.serviceAccount} may write under ${prefix} of its own bucket and nowhere else.`,
    });
    return identity;
  }
}
