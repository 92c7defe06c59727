/**
 * The judge stage of a synth: every finding of an environment (both layers), the platform.yaml
 * suppressions applied, sorted for gates.json, tallied, with the environment's summary facts.
 */
import type { EnvironmentModel, PlatformModel, Suppression } from '../config/index.js';
import type { ClusterFileText } from '../cluster/render.js';
import type { ClusterTree } from '../cluster/tree.js';
import type { CfnTemplateJson } from '../common/cfn-template.js';
import { findingsBlock, tallyFindings, type GateFinding } from '../gates/finding.js';
import { applySuppressions } from '../gates/suppressions.js';
import { environmentFacts } from './summary.js';
import type { EnvironmentOutput } from './write.js';

/** One environment after rendering: its outputs and the findings of every gate on them. */
export interface RenderedEnvironment {
  readonly env: EnvironmentModel;
  readonly stackName: string;
  readonly template: CfnTemplateJson;
  /** The stack's own cloud assembly, file name → content. */
  readonly assemblyFiles: ReadonlyMap<string, string>;
  readonly tree: ClusterTree;
  readonly clusterFiles: readonly ClusterFileText[];
  /** Findings of both layers, before platform.yaml suppressions. */
  readonly findings: readonly GateFinding[];
}

export interface Judgement {
  readonly outputs: readonly EnvironmentOutput[];
  /** True when no finding failed (and, when strict, none warned). */
  readonly ok: boolean;
  /** `platform.yaml` suppressions that matched nothing (stale entries). */
  readonly unusedSuppressions: readonly Suppression[];
}

/** Deterministic order so gates.json diffs stay readable. */
function byRule(a: GateFinding, b: GateFinding): number {
  return a.source.localeCompare(b.source) || a.id.localeCompare(b.id) || a.resource.localeCompare(b.resource);
}

/** `now` decides which suppressions have expired; `strict` makes warnings block like failures. */
export function judgePlatform(model: Pick<PlatformModel, 'suppressions'>, rendered: readonly RenderedEnvironment[], now: Date, strict = false): Judgement {
  const used = new Set<Suppression>();
  const outputs = rendered.map(({ env, stackName, template, assemblyFiles, tree, clusterFiles, findings }) => {
    const suppressed = applySuppressions(findings, model.suppressions, { environment: env.name, stackPath: env.stackName }, now);
    suppressed.used.forEach((entry) => used.add(entry));
    const sorted = [...suppressed.findings].sort(byRule);
    return {
      result: { name: env.name, findings: sorted, tally: tallyFindings(sorted), summary: environmentFacts(env, tree, findings) },
      stackName,
      template,
      assemblyFiles,
      clusterFiles,
    };
  });
  return {
    outputs,
    ok: outputs.every(({ result }) => !findingsBlock(result.tally, strict)),
    unusedSuppressions: model.suppressions.filter((entry) => !used.has(entry)),
  };
}
