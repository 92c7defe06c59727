/**
 * Customer-managed KMS keys as the platform creates them: rotation on, kept on stack deletion
 * (data encrypted with them may outlive the stack), grants limited to AWS services acting for AWS
 * resources (Control Tower CT.KMS.PR.3), and nobody but the break-glass principal may destroy or
 * rewrite them: ScheduleKeyDeletion, DisableKey, DisableKeyRotation, PutKeyPolicy and RevokeGrant
 * are denied to everyone else, so an administrator cannot crypto-shred Object Lock evidence.
 *
 * Because the key policy denies PutKeyPolicy to the principal that creates the key, KMS's policy
 * lockout safety check (which requires the creator to keep PutKeyPolicy) is bypassed on purpose:
 * the break-glass principal keeps full control through the root statement. A later change to a
 * key policy must be deployed as the break-glass principal.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { exceptBreakGlass } from './break-glass.js';

/** Key actions only the break-glass principal may call: each destroys or rewrites what protects the evidence. */
export const KEY_ACTIONS_DENIED_EXCEPT_BREAK_GLASS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
] as const;

export function platformKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyKeyDestructionExceptBreakGlass',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...KEY_ACTIONS_DENIED_EXCEPT_BREAK_GLASS],
      resources: ['*'],
      conditions: exceptBreakGlass(scope),
    }),
  );
  (key.node.defaultChild as kms.CfnKey).bypassPolicyLockoutSafetyCheck = true;
  return key;
}
