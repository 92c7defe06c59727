/** One environment's cluster layer: rendered from the model, judged (ADR15-GITOPS-1..5) against its AWS template, serialized for writing. */
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import { renderClusterLayer, serializeClusterTree, type ClusterFileText } from '../cluster/render.js';
import type { ClusterTree } from '../cluster/tree.js';
import type { GateFinding } from '../gates/finding.js';
import { clusterGates, type PolicyCompileMemo } from '../gates/rules/cluster.js';
import type { ObjectValidator } from '../gates/rules/object-schema.js';
import type { RenderedStack } from '../infra/platform-app.js';
import type { PolicyLibrary } from '../policies/index.js';

export interface ClusterLayerInput {
  readonly model: PlatformModel;
  readonly env: EnvironmentModel;
  /** The environment's synthesized stack, for the cross-layer rule. */
  readonly stack: Pick<RenderedStack, 'stackPath' | 'template'>;
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator> | undefined;
  readonly compileMemo?: PolicyCompileMemo;
  /** The policy set, read once per run. @default - read from src/policies for this call */
  readonly policies?: PolicyLibrary;
}

export interface JudgedClusterLayer {
  readonly tree: ClusterTree;
  readonly findings: readonly GateFinding[];
  readonly files: readonly ClusterFileText[];
}

export async function renderAndJudgeClusterLayer({ model, env, stack, crdValidators, compileMemo, policies }: ClusterLayerInput): Promise<JudgedClusterLayer> {
  const context = { platform: model, env, ...(policies === undefined ? {} : { policies }) };
  const tree = renderClusterLayer(context);
  const findings = await clusterGates({
    context,
    tree,
    templates: [{ stackPath: stack.stackPath, template: stack.template }],
    ...(crdValidators === undefined ? {} : { crdValidators }),
    ...(compileMemo === undefined ? {} : { compileMemo }),
  });
  return { tree, findings, files: serializeClusterTree(tree) };
}
