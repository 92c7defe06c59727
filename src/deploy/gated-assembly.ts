/**
 * The deployable artifact of one environment: the cloud assembly the synth pipeline wrote beside
 * the gated template. A plan is made only when the two agree and gates.json shows no failure,
 * so what CloudFormation receives is what the gates judged.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { UserInputError } from '../common/errors.js';
import { gateReportSchema } from '../gates/finding.js';
import { ASSEMBLY_DIR, CLOUDFORMATION_DIR, GATES_FILE } from '../pipeline/write.js';

export interface DeployPlan {
  readonly environment: string;
  readonly stackName: string;
  /** Absolute folder of the gated cloud assembly, given to the CDK CLI as `--app`. */
  readonly assemblyDir: string;
}

interface AssemblyManifest {
  readonly artifacts?: Record<string, { readonly type: string; readonly properties?: { readonly templateFile?: string; readonly stackName?: string } }>;
}

/** A stack artifact's stack name: its `stackName` property, else its artifact id. */
function stackNameOf(id: string, properties: { readonly stackName?: string } | undefined): string {
  return properties?.stackName ?? id;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserInputError(`${what} ${file} is missing; run \`bottlerocket-eks synth\` first (it writes only when every gate passes)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Check the synth output of `environment` under `outDir` and say what to deploy. */
export async function planDeploy(outDir: string, environment: string): Promise<DeployPlan> {
  const envDir = resolve(outDir, environment);
  const assemblyDir = join(envDir, ASSEMBLY_DIR);
  const manifest = (await readJson(join(assemblyDir, 'manifest.json'), 'the gated cloud assembly manifest')) as AssemblyManifest;
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1 || !stacks[0]![1].properties?.templateFile) {
    throw new UserInputError(`${assemblyDir} should hold exactly one stack (found ${stacks.length}); run \`bottlerocket-eks synth\` again`);
  }
  const [id, stack] = stacks[0]!;
  const stackName = stackNameOf(id, stack.properties);
  const deployed = await readJson(join(assemblyDir, stack.properties!.templateFile!), 'the assembly template');
  const gated = await readJson(join(envDir, CLOUDFORMATION_DIR, `${stackName}.template.json`), 'the gated template');
  if (!isDeepStrictEqual(deployed, gated)) {
    throw new UserInputError(`${assemblyDir}: the template to deploy differs from the gated ${CLOUDFORMATION_DIR}/${stackName}.template.json; run \`bottlerocket-eks synth\` again and deploy without editing its output`);
  }
  const report = gateReportSchema.safeParse(await readJson(join(envDir, GATES_FILE), 'the gate results'));
  if (!report.success) throw new UserInputError(`${join(envDir, GATES_FILE)} is not a gate report; run \`bottlerocket-eks synth\` again`);
  const failed = report.data.findings.filter((finding) => finding.result === 'fail');
  if (failed.length > 0) throw new UserInputError(`${environment}: ${failed.length} gate finding(s) failed (e.g. ${failed[0]!.id} on ${failed[0]!.resource}); nothing to deploy`);
  return { environment, stackName, assemblyDir };
}
