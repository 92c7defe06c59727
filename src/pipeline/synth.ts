/**
 * `synthPlatform()`, behind `bottlerocket-eks synth`, in four stages:
 *
 * 1. **Resolve** the config into the model (every input problem is a `UserInputError` here,
 *    before any work) and read the promotion ledger beside it.
 * 2. **Render** the AWS layer (one CDK synthesis of every environment, with the AWS packs attached
 *    as validation plugins: cdk-nag and the ADR pack judge during synthesis, cfn-guard starts in
 *    child processes) and, while cfn-guard works, render and judge each environment's cluster layer.
 * 3. **Judge**: every finding of both layers, with the platform.yaml suppressions applied.
 * 4. **Write** every output at once, only when no finding failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserInputError } from '../common/errors.js';
import { loadPlatformModel, type EnvironmentModel, type PlatformModel } from '../config/index.js';
import { createAwsGates } from '../gates/cdk/index.js';
import type { PolicyCompileMemo } from '../gates/rules/cluster.js';
import type { ObjectValidator } from '../gates/rules/object-schema.js';
import { renderAwsLayer } from '../infra/platform-app.js';
import { LEDGER_FILE, loadLedger } from '../releases/index.js';
import { renderAndJudgeClusterLayer, type JudgedClusterLayer } from './cluster-layer.js';
import { judgePlatform, type RenderedEnvironment } from './judge.js';
import type { SynthResult } from './result.js';
import { writeSynthOutput } from './write.js';

export type { EnvironmentSynthResult, SynthResult } from './result.js';
export { CLOUDFORMATION_DIR, CLUSTER_DIR, GATES_FILE, SUMMARY_FILE } from './write.js';

export interface SynthOptions {
  readonly configFile: string;
  /** @default 'dist' */
  readonly outDir?: string;
  /** Only these environments. @default - all, in promotion order */
  readonly environments?: readonly string[];
  /** @default new Date() */
  readonly now?: Date;
  /** Validators built from CRDs, for kinds whose schema the project does not ship. @default none */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void;
}

/** The selected environments in promotion order; an unknown name is bad input. */
function selectEnvironments(model: PlatformModel, names: readonly string[] | undefined): EnvironmentModel[] {
  const selected = names ?? model.promotion.order;
  const unknown = selected.filter((name) => !model.environments.some((env) => env.name === name));
  if (unknown.length > 0) {
    throw new UserInputError(`unknown environment${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the config has ${model.environments.map((env) => env.name).join(', ')}`);
  }
  return model.promotion.order.filter((name) => selected.includes(name)).map((name) => model.environments.find((env) => env.name === name)!);
}

export async function synthPlatform(options: SynthOptions): Promise<SynthResult> {
  // 1. Resolve.
  const model = await loadPlatformModel(options.configFile);
  const environments = selectEnvironments(model, options.environments);
  const { ledger } = await loadLedger(join(dirname(resolve(options.configFile)), LEDGER_FILE));
  const now = options.now ?? new Date();
  const outDir = resolve(options.outDir ?? 'dist');

  // 2. Render both layers. CDK's cloud assembly lives only as long as cfn-guard reads it.
  const cdkOut = await mkdtemp(join(tmpdir(), 'bottlerocket-eks-cdk-'));
  let rendered: RenderedEnvironment[];
  try {
    options.progress?.(`aws: ${environments.map((env) => env.name).join(', ')}`);
    const awsGates = createAwsGates({ adr: { model, ledger, now }, mode: 'record' });
    const stacks = renderAwsLayer(model, {
      outdir: cdkOut,
      environments: environments.map((env) => env.name),
      validationPlugins: awsGates.plugins,
      failSynthOnValidationErrors: false,
    });
    // cfn-guard now runs in child processes; this process renders and judges the cluster layers meanwhile.
    const compileMemo: PolicyCompileMemo = new Map();
    const [awsFindings, clusters] = await Promise.all([
      awsGates.findings(),
      (async () => {
        const judged: JudgedClusterLayer[] = [];
        for (const env of environments) {
          options.progress?.(`${env.name}: cluster`);
          judged.push(await renderAndJudgeClusterLayer({ model, env, stack: stacks.get(env.name)!, crdValidators: options.crdValidators, compileMemo }));
        }
        return judged;
      })(),
    ]);
    rendered = environments.map((env, index) => {
      const stack = stacks.get(env.name)!;
      const cluster = clusters[index]!;
      return { env, stackName: stack.stackName, template: stack.template, tree: cluster.tree, clusterFiles: cluster.files, findings: [...(awsFindings.get(stack.stackPath) ?? []), ...cluster.findings] };
    });
  } finally {
    await rm(cdkOut, { recursive: true, force: true });
  }

  // 3. Judge.
  const { outputs, ok, unusedSuppressions } = judgePlatform(model, rendered);

  // 4. Write.
  await writeSynthOutput(outDir, model.project, outputs, ok);
  return { ok, outDir, environments: outputs.map(({ result }) => result), unusedSuppressions };
}
