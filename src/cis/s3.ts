/**
 * The one place the CIS code builds an S3 client. Credentials and region come from the SDK's
 * default chain (EKS Pod Identity in the cluster, the usual profile/env locally); `endpoint`
 * exists for S3-compatible servers, which need path-style addressing. Timeouts, retries and the
 * response cap come from the shared factory (src/common/aws-client.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, type AwsClientOptions } from '../common/aws-client.js';

export type S3Options = AwsClientOptions;

export function s3Client(options: S3Options = {}): S3Client {
  return new S3Client({ ...awsClientConfig(options), ...(options.endpoint ? { forcePathStyle: true } : {}) });
}

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  return match ? { bucket: match[1]!, prefix: match[2]! } : undefined;
}
