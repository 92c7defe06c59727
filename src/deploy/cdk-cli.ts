/**
 * Runs the CDK CLI (package `aws-cdk`) over a gated assembly folder. With a folder as `--app`
 * the CLI reads the assembly instead of running an app, so it deploys the gated templates as
 * they are. Output streams through; the exit code is the CLI's.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DeployPlan } from './gated-assembly.js';

export interface DeployOptions {
  /** `cdk deploy --require-approval`. @default 'broadening' (security-group and IAM widening asks first) */
  readonly requireApproval?: 'never' | 'any-change' | 'broadening';
  /**
   * Import retained resources with the same name instead of failing (a rebuild after teardown:
   * the evidence bucket, the control-plane and Falco log groups). @default false
   */
  readonly importExistingResources?: boolean;
  /** Write the stack outputs (kubeconfig command, role ARNs) to this JSON file. @default - none */
  readonly outputsFile?: string;
}

/** The `cdk` executable of the installed aws-cdk package. */
export function cdkCliPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('aws-cdk/package.json')), 'bin', 'cdk');
}

/** Arguments of `cdk deploy` for a plan. */
export function cdkDeployArguments(plan: DeployPlan, options: DeployOptions = {}): string[] {
  return [
    'deploy',
    '--app', plan.assemblyDir,
    '--exclusively',
    '--require-approval', options.requireApproval ?? 'broadening',
    ...(options.importExistingResources ? ['--import-existing-resources'] : []),
    ...(options.outputsFile === undefined ? [] : ['--outputs-file', options.outputsFile]),
    plan.stackName,
  ];
}

/** Run the CDK CLI with `args`; resolves with its exit code. */
export function runCdkCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cdkCliPath(), ...args], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}
