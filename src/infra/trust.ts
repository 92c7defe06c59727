/**
 * Service principals with the conditions that bind them to this account's own resources, so no
 * other account can make the service act on ours (the confused deputy): `aws:SourceAccount` and
 * `aws:SourceArn` where the service documents them, the log-group encryption context for
 * CloudWatch Logs keys, and the Pod Identity session tags for pod roles.
 *
 * Roles a service receives through `iam:PassRole` (the node role for EC2, the cluster role for
 * EKS) carry none: PassRole cannot cross accounts, and neither service documents source keys for
 * its role assumption, so a condition there could only stop the nodes or the cluster.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** `aws:SourceAccount` is this stack's account and `aws:SourceArn` matches `sourceArns`. */
export function sourceConditions(scope: IConstruct, sourceArns: readonly string[]): iam.Conditions {
  return {
    StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    ArnLike: { 'aws:SourceArn': sourceArns.length === 1 ? sourceArns[0]! : [...sourceArns] },
  };
}

/** `service` acting only for the resources `sourceArns` of this account. */
export function servicePrincipalFor(scope: IConstruct, service: string, sourceArns: readonly string[]): iam.ServicePrincipal {
  return new iam.ServicePrincipal(service, { conditions: sourceConditions(scope, sourceArns) });
}

/**
 * CloudWatch Logs using a key, only for log groups of this account and region (or the one named):
 * the key-policy condition CloudWatch Logs documents, on the encryption context it sends.
 */
export function logsKeyPrincipal(scope: IConstruct, logGroupName?: string): iam.ServicePrincipal {
  const stack = Stack.of(scope);
  return new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`, {
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName ?? '*'}` },
    },
  });
}

/** VPC Flow Logs delivering only for this account's flow logs. */
export function flowLogsPrincipal(scope: IConstruct): iam.ServicePrincipal {
  const stack = Stack.of(scope);
  return servicePrincipalFor(scope, 'vpc-flow-logs.amazonaws.com', [`arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*`]);
}
