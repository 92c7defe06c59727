/** A synth render stage without CDK, so tests of the other stages (judge, write) run fast. */
import type { GateFinding } from '../../src/gates/finding.js';
import type { RenderStage } from '../../src/pipeline/render.js';

export interface FakeRenderOptions {
  /** The one cluster-layer file each environment writes. */
  readonly clusterFile: (env: string) => { readonly path: string; readonly text: string };
  /** Findings each environment reports. @default none */
  readonly findings?: (env: string) => GateFinding[];
}

/** Every environment renders an empty template, no cluster objects and the given file and findings. */
export function fakeRenderStage({ clusterFile, findings = () => [] }: FakeRenderOptions): RenderStage {
  return async ({ environments }) =>
    environments.map((env) => ({
      env,
      stackName: env.stackName,
      template: { Resources: {} },
      assemblyFiles: new Map(),
      tree: { controller: 'flux', components: [], files: [] },
      clusterFiles: [clusterFile(env.name)],
      findings: findings(env.name),
    }));
}
