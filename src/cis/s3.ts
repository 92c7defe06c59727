/**
 * The one place the CIS code builds an S3 client. Credentials and region come from the SDK's
 * default chain (EKS Pod Identity in the cluster, the usual profile/env locally); `endpoint`
 * exists for S3-compatible servers, which need path-style addressing.
 */
import { S3Client } from '@aws-sdk/client-s3';

export interface S3Options {
  readonly region?: string;
  readonly endpoint?: string;
  /** SDK attempts per request (exponential backoff with jitter between them). */
  readonly maxAttempts?: number;
}

export function s3Client(options: S3Options = {}): S3Client {
  return new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
  });
}

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  return match ? { bucket: match[1]!, prefix: match[2]! } : undefined;
}
