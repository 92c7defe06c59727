/**
 * The render stage of a synth: the AWS layer (one CDK synthesis of the selected environments, the
 * AWS packs of src/gates/cdk attached as validation plugins: cdk-nag and the ADR pack judge during
 * synthesis, cfn-guard starts in child processes) and, while cfn-guard works, each environment's
 * cluster layer rendered and judged against its in-memory template. The two overlap here, in
 * plain sight: `Promise.all` of the cfn-guard results and the cluster work of this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import { createAwsGates } from '../gates/cdk/index.js';
import type { PolicyCompileMemo } from '../gates/rules/cluster.js';
import type { ObjectValidator } from '../gates/rules/object-schema.js';
import { renderAwsLayer } from '../infra/platform-app.js';
import { loadPolicyLibrary } from '../policies/index.js';
import type { Ledger } from '../releases/index.js';
import { renderAndJudgeClusterLayer, type JudgedClusterLayer } from './cluster-layer.js';
import type { RenderedEnvironment } from './judge.js';

export interface RenderInput {
  readonly model: PlatformModel;
  /** The environments to render, in promotion order. */
  readonly environments: readonly EnvironmentModel[];
  readonly ledger: Ledger;
  readonly now: Date;
  /** Validators built from CRDs, for kinds whose schema the project does not ship. @default none */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator> | undefined;
  readonly progress?: ((line: string) => void) | undefined;
}

/** A render stage: the real one is `renderPlatform`; tests of the other stages pass their own. */
export type RenderStage = (input: RenderInput) => Promise<RenderedEnvironment[]>;

export const renderPlatform: RenderStage = async ({ model, environments, ledger, now, crdValidators, progress }) => {
  // The policy files, read once for every environment.
  const policies = loadPolicyLibrary();
  // CDK's cloud assembly lives only as long as cfn-guard reads it.
  const cdkOut = await mkdtemp(join(tmpdir(), 'bottlerocket-eks-cdk-'));
  try {
    progress?.(`aws: ${environments.map((env) => env.name).join(', ')}`);
    const awsGates = createAwsGates({ adr: { model, ledger, now }, mode: 'record' });
    const stacks = renderAwsLayer(model, {
      outdir: cdkOut,
      environments: environments.map((env) => env.name),
      validationPlugins: awsGates.plugins,
      failSynthOnValidationErrors: false,
    });
    // cfn-guard now runs in child processes; this process renders and judges the cluster layers meanwhile.
    const compileMemo: PolicyCompileMemo = new Map();
    const clusterLayers = async (): Promise<JudgedClusterLayer[]> => {
      const judged: JudgedClusterLayer[] = [];
      for (const env of environments) {
        progress?.(`${env.name}: cluster`);
        judged.push(await renderAndJudgeClusterLayer({ model, env, stack: stacks.get(env.name)!, crdValidators, compileMemo, policies }));
      }
      return judged;
    };
    const [awsFindings, clusters] = await Promise.all([awsGates.findings(), clusterLayers()]);
    return environments.map((env, index) => {
      const stack = stacks.get(env.name)!;
      const cluster = clusters[index]!;
      return {
        env,
        stackName: stack.stackName,
        template: stack.template,
        assemblyFiles: stack.assemblyFiles,
        tree: cluster.tree,
        clusterFiles: cluster.files,
        findings: [...(awsFindings.get(stack.stackPath) ?? []), ...cluster.findings],
      };
    });
  } finally {
    await rm(cdkOut, { recursive: true, force: true });
  }
};
