/**
 * The AWS layer step: synthesizes every environment's stack in one CDK App (one synthesis, one
 * cfn-guard run for the whole platform, memoised per pipeline run), then writes each
 * environment's template to `<env>/cloudformation/<stack>.template.json` and its stack's cloud
 * assembly to `<env>/cdk.out/` (what `deploy` deploys). While cfn-guard runs, the
 * other steps' deferred work runs (`deferred-work.ts`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { synthesizePlatform, type SynthesizedEnvironment } from '../infra/synthesize.js';
import { runDeferredWork } from './deferred-work.js';
import type { EnvironmentStep, PipelineContext } from './step.js';

const synthesized = new WeakMap<PipelineContext, Promise<ReadonlyMap<string, SynthesizedEnvironment>>>();

function platformSynthesis(context: PipelineContext): Promise<ReadonlyMap<string, SynthesizedEnvironment>> {
  let result = synthesized.get(context);
  if (!result) {
    result = synthesizePlatform(context.platform, { whileGatesRun: () => runDeferredWork(context) });
    synthesized.set(context, result);
  }
  return result;
}

/** Folder, below an environment's output folder, holding its CloudFormation templates. */
export const CLOUDFORMATION_DIR = 'cloudformation';
/** Folder, below an environment's output folder, holding its stack's cloud assembly. */
export const ASSEMBLY_DIR = 'cdk.out';

export const awsStep: EnvironmentStep = {
  name: 'aws',
  async run(context, env, envOutDir) {
    const environment = (await platformSynthesis(context)).get(env.name);
    if (!environment) throw new Error(`environment ${env.name} was not synthesized`);
    const dir = join(envOutDir, CLOUDFORMATION_DIR);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${environment.stackName}.template.json`), `${JSON.stringify(environment.template, null, 2)}\n`);
    // The gated assembly `deploy` hands the CDK CLI, so nothing is synthesized again.
    const assemblyDir = join(envOutDir, ASSEMBLY_DIR);
    await mkdir(assemblyDir, { recursive: true });
    for (const [file, content] of environment.assemblyFiles) await writeFile(join(assemblyDir, file), content);
    return {
      findings: environment.findings,
      summary: {
        stack: environment.stackName,
        cluster: environment.clusterName,
        'kubernetes version': environment.kubernetesVersion,
        'node groups': environment.nodegroups.map((group) => `${group.name} (${group.amiType} ${group.releaseVersion})`).join(', '),
      },
    };
  },
};
