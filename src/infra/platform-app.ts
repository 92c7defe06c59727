/**
 * The AWS renderer: every environment's stack in one CDK App, so one synthesis (and one run of
 * each validation plugin) covers the whole platform. It renders the model and nothing else: no
 * checks (the resolve pass made them) and no gates (the caller passes them as CDK validation
 * plugins, CDK's own hook). `renderAwsLayer` synthesizes and returns the templates in memory; the
 * only files are CDK's own cloud assembly in `outdir`.
 */
import { App, Validations, type AppProps, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import type { CfnTemplateJson } from '../common/cfn-template.js';
import type { PlatformModel } from '../config/index.js';
import { stackAssemblyFiles } from './assembly.js';
import { EnvironmentStack } from './environment-stack.js';

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
  /** Only these environments. @default - all */
  readonly environments?: readonly string[];
  /** CDK validation plugins run on the synthesized templates. @default - none */
  readonly validationPlugins?: readonly IPolicyValidationPlugin[];
  /**
   * Whether CDK fails synthesis when a plugin reports a violation. The synth pipeline judges the
   * findings itself and turns this off.
   *
   * @default true
   */
  readonly failSynthOnValidationErrors?: boolean;
}

export interface PlatformApp {
  readonly app: App;
  /** Stacks by environment name. */
  readonly stacks: ReadonlyMap<string, EnvironmentStack>;
}

export function buildPlatformApp(platform: PlatformModel, options: PlatformAppOptions = {}): PlatformApp {
  const props: AppProps = {
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    // CDK's built-in schema validation takes seconds and duplicates what the gates check.
    builtinCloudFormationValidation: false,
    context: { ...PLATFORM_CONTEXT, ...(options.failSynthOnValidationErrors === false ? { '@aws-cdk/core:failSynthOnValidationErrors': false } : {}) },
  };
  const app = new App(props);
  if (options.validationPlugins?.length) Validations.of(app).addPlugins(...options.validationPlugins);
  const stacks = new Map<string, EnvironmentStack>();
  for (const environment of platform.environments) {
    if (options.environments && !options.environments.includes(environment.name)) continue;
    stacks.set(environment.name, new EnvironmentStack(app, environment.stackName, { platform, environment }));
  }
  return { app, stacks };
}

/** One environment's synthesized stack, in memory. */
export interface RenderedStack {
  readonly environment: string;
  readonly stackName: string;
  /** Construct path of the stack; prefixes every resource's `aws:cdk:path`. */
  readonly stackPath: string;
  readonly template: CfnTemplateJson;
  /** The stack's own cloud assembly (file name → content), for `deploy`; see `assembly.ts`. */
  readonly assemblyFiles: ReadonlyMap<string, string>;
}

/** Synthesize the platform (running `validationPlugins`) and return each environment's template. */
export function renderAwsLayer(platform: PlatformModel, options: PlatformAppOptions & { readonly outdir: string }): ReadonlyMap<string, RenderedStack> {
  const { app, stacks } = buildPlatformApp(platform, options);
  const assembly = app.synth();
  return new Map(
    [...stacks].map(([environment, stack]) => [
      environment,
      {
        environment,
        stackName: stack.stackName,
        stackPath: stack.node.path,
        template: assembly.getStackByName(stack.stackName).template as CfnTemplateJson,
        assemblyFiles: stackAssemblyFiles(assembly, stack.stackName),
      },
    ]),
  );
}
