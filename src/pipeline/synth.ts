/**
 * `synthPlatform()`, behind `bottlerocket-eks synth`, in the order it runs:
 *
 * 1. **Resolve** the config into the model (every input problem is a `UserInputError` here) and
 *    read the promotion ledger beside it; open the output folder, which refuses a folder the tool
 *    does not own (`src/common/output-folder.ts`). All of this before any work.
 * 2. **Render** both layers, cluster work overlapping cfn-guard (`render.ts`).
 * 3. **Judge** every finding, platform.yaml suppressions applied (`judge.ts`).
 * 4. **Write** every output at once, only when no finding failed (`write.ts`).
 */
import { dirname, join, resolve } from 'node:path';
import { openOutputFolder } from '../common/output-folder.js';
import { UserInputError } from '../common/errors.js';
import { loadPlatformModel, type EnvironmentModel, type PlatformModel } from '../config/index.js';
import type { ObjectValidator } from '../gates/rules/object-schema.js';
import { LEDGER_FILE, loadLedger } from '../releases/index.js';
import { judgePlatform } from './judge.js';
import { renderPlatform, type RenderStage } from './render.js';
import type { SynthResult } from './result.js';
import { SUMMARY_FILE, writeSynthOutput } from './write.js';

export type { EnvironmentSynthResult, SynthResult } from './result.js';
export { ASSEMBLY_DIR, CLOUDFORMATION_DIR, CLUSTER_DIR, GATES_FILE, SUMMARY_FILE } from './write.js';

export interface SynthOptions {
  readonly configFile: string;
  /** @default 'dist' */
  readonly outDir?: string;
  /**
   * Write the environment folders beside files the tool did not write (a GitOps repository's
   * `clusters/` with `flux-system/`); see `src/common/output-folder.ts`.
   *
   * @default false
   */
  readonly alongside?: boolean;
  /** Folder relative paths start from; it is never written into. @default process.cwd() */
  readonly cwd?: string;
  /** The user's home folder, never written into. @default os.homedir() */
  readonly home?: string;
  /** Only these environments. @default - all, in promotion order */
  readonly environments?: readonly string[];
  /** The instant the gates judge: soak days, suppression expiry, the EKS release calendar. @default new Date() */
  readonly now?: Date;
  /** Warnings (e.g. ADR15-VER-1) block the output like failures. @default false */
  readonly strict?: boolean;
  /** Validators built from CRDs, for kinds whose schema the project does not ship. @default none */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
  /** The render stage. @default renderPlatform (CDK and the cluster renderer) */
  readonly render?: RenderStage;
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
  // 1. Resolve, and open the output folder.
  const model = await loadPlatformModel(options.configFile);
  const environments = selectEnvironments(model, options.environments);
  const { ledger } = await loadLedger(join(dirname(resolve(options.configFile)), LEDGER_FILE));
  const cwd = options.cwd ?? process.cwd();
  const outDir = resolve(cwd, options.outDir ?? 'dist');
  const output = await openOutputFolder({
    outDir: options.outDir ?? 'dist',
    configFile: options.configFile,
    cwd,
    ...(options.home === undefined ? {} : { home: options.home }),
    entries: [...environments.map((env) => env.name), SUMMARY_FILE],
    // A full run owns the whole output; `--env` replaces only its environments and the summary.
    replaceAll: options.environments === undefined,
    alongside: options.alongside ?? false,
  });
  try {
    // 2. Render.
    const now = options.now ?? new Date();
    const render = options.render ?? renderPlatform;
    const rendered = await render({ model, environments, ledger, now, crdValidators: options.crdValidators, progress: options.progress });
    // 3. Judge.
    const { outputs, ok, unusedSuppressions } = judgePlatform(model, rendered, now, options.strict ?? false);
    // 4. Write.
    await writeSynthOutput(output, model.project, outputs, ok);
    return { ok, outDir, environments: outputs.map(({ result }) => result), unusedSuppressions };
  } catch (error) {
    await output.discard();
    throw error;
  }
}
