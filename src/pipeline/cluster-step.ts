/**
 * Synth step for the cluster layer: render `<env>/cluster/` in the configured GitOps format,
 * judge it (ADR15-GITOPS-1..5), write it.
 * Runs after the AWS step, whose templates in `<env>/cloudformation/` the cross-layer rule reads.
 */
import { join } from 'node:path';
import { readAwsTemplates } from '../cluster/aws-templates.js';
import { clusterGates } from '../cluster/gates.js';
import type { ObjectValidator } from '../cluster/object-schema.js';
import { renderClusterLayer, writeClusterTree } from '../cluster/render.js';
import { treeObjects } from '../cluster/tree.js';
import { CLOUDFORMATION_DIR } from './aws-step.js';
import type { EnvironmentStep } from './step.js';

export interface ClusterStepOptions {
  /** Folder of the ADR policy set. @default the project's `src/policies/` */
  readonly policiesDir?: string;
  /** Validators built from CRDs, for kinds whose schema the project does not ship. @default none */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
}

export function createClusterStep(options: ClusterStepOptions = {}): EnvironmentStep {
  return {
    name: 'cluster',
    async run(context, env, envOutDir) {
      const renderContext = { platform: context.platform, env, ...(options.policiesDir === undefined ? {} : { policiesDir: options.policiesDir }) };
      const tree = renderClusterLayer(renderContext);
      const templates = await readAwsTemplates(join(envOutDir, CLOUDFORMATION_DIR));
      const findings = await clusterGates({ context: renderContext, tree, templates, ...(options.crdValidators === undefined ? {} : { crdValidators: options.crdValidators }) });
      // Files land in the staging folder; the pipeline keeps them only if no gate failed.
      await writeClusterTree(tree, join(envOutDir, 'cluster'));
      return {
        findings,
        summary: { 'cluster layer': `${tree.controller}, ${tree.components.length} components, ${treeObjects(tree).length} objects` },
      };
    },
  };
}

export const clusterStep: EnvironmentStep = createClusterStep();
