/**
 * Build every environment's stack into one CDK App, so one synthesis (and one cfn-guard run)
 * covers the whole platform.
 */
import { App, type AppProps } from 'aws-cdk-lib';
import type { PlatformModel } from '../config/index.js';
import { EnvironmentStack } from './environment-stack.js';
import { attachSynthGates, GATE_CONTEXT, type SynthGates } from './gates/index.js';

/**
 * Context every platform app runs with. Server access logs are granted by bucket policy rather
 * than the LogDeliveryWrite ACL, so log buckets can disable ACLs (BucketOwnerEnforced); path
 * metadata lets every finding name its construct path.
 */
export const PLATFORM_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  'aws:cdk:enable-path-metadata': true,
};

export interface PlatformAppOptions {
  /** Cloud assembly folder. @default - CDK's default (`cdk.out` or the CLI's choice) */
  readonly outdir?: string;
  /**
   * `record`: attach the gates and let the caller judge their findings (the synth pipeline).
   * `cdk`: attach the gates and let CDK fail synthesis on unacknowledged violations (`cdk synth`).
   * `none`: no gates (tests of single constructs).
   *
   * @default 'cdk'
   */
  readonly gates?: 'record' | 'cdk' | 'none';
  /** Only these environments. @default - all */
  readonly environments?: readonly string[];
}

export interface PlatformApp {
  readonly app: App;
  /** Stacks by environment name. */
  readonly stacks: ReadonlyMap<string, EnvironmentStack>;
  readonly gates?: SynthGates;
}

export function buildPlatformApp(platform: PlatformModel, options: PlatformAppOptions = {}): PlatformApp {
  const gates = options.gates ?? 'cdk';
  const props: AppProps = {
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    // CDK's built-in schema validation takes seconds and duplicates what the gates check.
    builtinCloudFormationValidation: false,
    context: { ...PLATFORM_CONTEXT, ...(gates === 'record' ? GATE_CONTEXT : {}) },
  };
  const app = new App(props);
  const stacks = new Map<string, EnvironmentStack>();
  for (const environment of platform.environments) {
    if (options.environments && !options.environments.includes(environment.name)) continue;
    stacks.set(environment.name, new EnvironmentStack(app, environment.stackName, { platform, environment }));
  }
  return gates === 'none' ? { app, stacks } : { app, stacks, gates: attachSynthGates(app, { deferControlTower: gates === 'record' }) };
}
