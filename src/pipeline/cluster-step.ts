/**
 * Synth step for the cluster layer: render `<env>/cluster/` in the configured GitOps format,
 * judge it (ADR15-GITOPS-1..5), write it.
 * Rendering and the rules on the tree alone are deferred work (`deferred-work.ts`): they run while
 * the AWS step waits for cfn-guard. The cross-layer rule runs in the step's turn, after the AWS
 * step, and reads the templates it wrote to `<env>/cloudformation/`.
 */
import { join } from 'node:path';
import type { EnvironmentModel } from '../config/index.js';
import type { GateFinding } from '../gates/finding.js';
import { readAwsTemplates } from '../cluster/aws-templates.js';
import type { RenderContext } from '../cluster/component.js';
import { crossLayerFindings, treeGates } from '../cluster/gates.js';
import type { ObjectValidator } from '../cluster/object-schema.js';
import { renderClusterLayer, serializeClusterFile, writeClusterTree } from '../cluster/render.js';
import { treeObjects, type ClusterTree } from '../cluster/tree.js';
import { CLOUDFORMATION_DIR } from './aws-step.js';
import { deferWork, type DeferredWork } from './deferred-work.js';
import type { EnvironmentStep, PipelineContext } from './step.js';

export interface ClusterStepOptions {
  /** Folder of the ADR policy set. @default the project's `src/policies/` */
  readonly policiesDir?: string;
  /** Validators built from CRDs, for kinds whose schema the project does not ship. @default none */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
}

interface JudgedTree {
  readonly renderContext: RenderContext;
  readonly tree: ClusterTree;
  /** ADR15-GITOPS-1..4. */
  readonly findings: readonly GateFinding[];
}

export function createClusterStep(options: ClusterStepOptions = {}): EnvironmentStep {
  const prepared = new WeakMap<PipelineContext, Map<string, DeferredWork<JudgedTree>>>();

  async function judgeTree(context: PipelineContext, env: EnvironmentModel): Promise<JudgedTree> {
    const renderContext = { platform: context.platform, env, ...(options.policiesDir === undefined ? {} : { policiesDir: options.policiesDir }) };
    const tree = renderClusterLayer(renderContext);
    const findings = await treeGates(tree, options.crdValidators);
    // Serialized now (and remembered) so writing the files later is only I/O.
    tree.files.forEach(serializeClusterFile);
    return { renderContext, tree, findings };
  }

  return {
    name: 'cluster',
    prepare(context, env) {
      const works = prepared.get(context) ?? new Map<string, DeferredWork<JudgedTree>>();
      works.set(env.name, deferWork(context, () => judgeTree(context, env)));
      prepared.set(context, works);
    },
    async run(context, env, envOutDir) {
      const work = prepared.get(context)?.get(env.name);
      prepared.get(context)?.delete(env.name);
      const { renderContext, tree, findings } = await (work?.result() ?? judgeTree(context, env));
      const templates = await readAwsTemplates(join(envOutDir, CLOUDFORMATION_DIR));
      // Files land in the staging folder; the pipeline keeps them only if no gate failed.
      await writeClusterTree(tree, join(envOutDir, 'cluster'));
      return {
        findings: [...findings, ...crossLayerFindings(renderContext, tree, templates)],
        summary: { 'cluster layer': `${tree.controller}, ${tree.components.length} components, ${treeObjects(tree).length} objects` },
      };
    },
  };
}

export const clusterStep: EnvironmentStep = createClusterStep();
