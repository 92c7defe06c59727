/**
 * Built-in accepted findings inside the platform's constructs, each with the reason it is
 * accepted. They stay visible: gates.json lists them with result `suppressed` and the reason.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag's id for "uses the AWS-managed policy `name`" (AwsSolutions-IAM4 reports one finding per policy). */
export function managedPolicyFindingId(name: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
}

/** Accept the AWS-managed policies `names` on `construct`: AWS maintains them for the service that needs them. */
export function acknowledgeManagedPolicies(construct: IConstruct, names: readonly string[], why: string): void {
  Validations.of(construct).acknowledge(...names.map((name) => ({ id: managedPolicyFindingId(name), reason: `${name} is the AWS-maintained policy ${why}` })));
}
