/**
 * The break-glass principal: the only one the key and evidence bucket policies let destroy or
 * rewrite them (ADR-15 evidence must survive an administrator). Set once per stack, before any
 * key is created; read by `platformKey` and the evidence bucket, so every key gets the same denies.
 */
import { Stack, type Stack as StackType } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const CONTEXT_KEY = 'bottlerocket-eks:breakGlassPrincipalArn';

/** Record the break-glass role of `stack`; call in the stack's constructor, before adding children. */
export function setBreakGlassRole(stack: StackType, roleArn: string | undefined): void {
  if (roleArn !== undefined) stack.node.setContext(CONTEXT_KEY, roleArn);
}

/** The break-glass principal ARN for `scope`: the configured role, else the account root user. */
export function breakGlassPrincipalArn(scope: IConstruct): string {
  const configured = scope.node.tryGetContext(CONTEXT_KEY) as string | undefined;
  if (configured !== undefined) return configured;
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:iam::${stack.account}:root`;
}

/** The condition that exempts the break-glass principal from a deny statement. */
export function exceptBreakGlass(scope: IConstruct): Record<string, Record<string, string>> {
  return { ArnNotEquals: { 'aws:PrincipalArn': breakGlassPrincipalArn(scope) } };
}
