/**
 * Synthesize the whole platform once, in memory, with every synth-time gate: cdk-nag,
 * Control Tower (cfn-guard) and the ADR-15 rules. Findings are split per environment by the
 * construct path of its stack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeGroupModel, PlatformModel } from '../config/index.js';
import type { GateFinding } from '../gates/finding.js';
import { stackAssemblyFiles } from './assembly.js';
import { buildPlatformApp } from './platform-app.js';
import { evaluateAdrRules, type CfnTemplateJson } from './rules/index.js';

export interface SynthesizedEnvironment {
  readonly stackName: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly nodegroups: readonly NodeGroupModel[];
  readonly template: CfnTemplateJson;
  /** The stack's own cloud assembly (file name → content), for `deploy`; see `assembly.ts`. */
  readonly assemblyFiles: ReadonlyMap<string, string>;
  /** cdk-nag, Control Tower and ADR-15 findings on this environment's stack. */
  readonly findings: readonly GateFinding[];
}

export interface SynthesizeOptions {
  /**
   * Work to do while cfn-guard runs in its own processes (after CDK synthesis and cdk-nag), which
   * would otherwise leave this process waiting. Should not reject.
   */
  readonly whileGatesRun?: () => Promise<void>;
}

export async function synthesizePlatform(platform: PlatformModel, options: SynthesizeOptions = {}): Promise<ReadonlyMap<string, SynthesizedEnvironment>> {
  const outdir = await mkdtemp(join(tmpdir(), 'bottlerocket-eks-cdk-'));
  try {
    const { app, stacks, gates } = buildPlatformApp(platform, { outdir, gates: 'record' });
    const assembly = app.synth();
    const [gateFindings = []] = await Promise.all([gates?.findings(), options.whileGatesRun?.()]);
    const result = new Map<string, SynthesizedEnvironment>();
    for (const [envName, stack] of stacks) {
      const artifact = assembly.getStackByName(stack.stackName);
      const template = artifact.template as CfnTemplateJson;
      const stackPath = stack.node.path;
      result.set(envName, {
        stackName: stack.stackName,
        clusterName: stack.clusterName,
        kubernetesVersion: stack.config.kubernetesVersion,
        nodegroups: stack.config.nodeGroups,
        template,
        assemblyFiles: stackAssemblyFiles(assembly, stack.stackName),
        findings: [
          ...gateFindings.filter((finding) => finding.resource === stackPath || finding.resource.startsWith(`${stackPath}/`)),
          ...evaluateAdrRules(template, stackPath),
        ],
      });
    }
    return result;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
