/**
 * The write stage of a synth: everything goes into the output folder's staging area, swapped in
 * only when no gate failed (`common/output-folder.ts`), so a failed synth leaves the previous
 * output untouched and never a partial one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OutputFolder } from '../common/output-folder.js';
import type { CfnTemplateJson } from '../common/cfn-template.js';
import type { ClusterFileText } from '../cluster/render.js';
import { gateReport } from '../gates/finding.js';
import type { EnvironmentSynthResult } from './result.js';
import { renderSummaryMarkdown } from './summary.js';

export const GATES_FILE = 'gates.json';
export const SUMMARY_FILE = 'summary.md';
/** Folder, below an environment's output folder, holding its CloudFormation templates. */
export const CLOUDFORMATION_DIR = 'cloudformation';
/** Folder, below an environment's output folder, holding its stack's cloud assembly (what `deploy` deploys). */
export const ASSEMBLY_DIR = 'cdk.out';
/** Folder, below an environment's output folder, holding its cluster layer. */
export const CLUSTER_DIR = 'cluster';

/** Everything one environment writes. */
export interface EnvironmentOutput {
  readonly result: EnvironmentSynthResult;
  readonly stackName: string;
  readonly template: CfnTemplateJson;
  /** The stack's own cloud assembly, file name → content. */
  readonly assemblyFiles: ReadonlyMap<string, string>;
  readonly clusterFiles: readonly ClusterFileText[];
}

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Write every environment's output and `summary.md` into the opened folder at once, only when `ok`. */
export async function writeSynthOutput(staged: OutputFolder, project: string, outputs: readonly EnvironmentOutput[], ok: boolean): Promise<void> {
  if (!ok) {
    await staged.discard();
    return;
  }
  try {
    for (const { result, stackName, template, assemblyFiles, clusterFiles } of outputs) {
      const envDir = join(staged.stagingDir, result.name);
      await writeText(join(envDir, CLOUDFORMATION_DIR, `${stackName}.template.json`), `${JSON.stringify(template, null, 2)}\n`);
      // The gated assembly `deploy` hands the CDK CLI, so nothing is synthesized again.
      for (const [file, content] of assemblyFiles) await writeText(join(envDir, ASSEMBLY_DIR, file), content);
      for (const file of clusterFiles) await writeText(join(envDir, CLUSTER_DIR, file.path), file.text);
      await writeText(join(envDir, GATES_FILE), `${JSON.stringify(gateReport(result.name, result.findings), null, 2)}\n`);
    }
    await writeText(join(staged.stagingDir, SUMMARY_FILE), renderSummaryMarkdown(project, outputs.map((output) => output.result)));
    await staged.commit();
  } catch (error) {
    await staged.discard();
    throw error;
  }
}
