/**
 * `synthPlatform()`: load the config, run every step for every selected environment into a
 * staging folder, apply `platform.yaml` suppressions, write `<env>/gates.json` and
 * `summary.md`, and replace the output folder's entries only when no finding failed. Bad config
 * and an output folder the tool does not own throw `UserInputError` before anything is written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { openOutputFolder } from '../common/output-folder.js';
import { UserInputError } from '../common/errors.js';
import { loadPlatformModel, type Suppression } from '../config/index.js';
import { tallyFindings, type GateFinding, type GateTally } from '../gates/finding.js';
import { applySuppressions } from '../gates/suppressions.js';
import { renderSummaryMarkdown } from './summary.js';
import type { EnvironmentStep, PipelineContext } from './step.js';
import { STEPS } from './steps.js';

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
  /** @default STEPS */
  readonly steps?: readonly EnvironmentStep[];
  /** @default new Date() */
  readonly now?: Date;
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void;
}

export interface EnvironmentSynthResult {
  readonly name: string;
  readonly findings: readonly GateFinding[];
  readonly tally: GateTally;
  /** Facts from every step, in step order. */
  readonly summary: Readonly<Record<string, string>>;
}

export interface SynthResult {
  /** True when no finding failed; only then was `outDir` written. */
  readonly ok: boolean;
  readonly outDir: string;
  readonly environments: readonly EnvironmentSynthResult[];
  /** `platform.yaml` suppressions that matched nothing (stale entries). */
  readonly unusedSuppressions: readonly Suppression[];
}

export const GATES_FILE = 'gates.json';
export const SUMMARY_FILE = 'summary.md';

/** Deterministic order so gates.json diffs stay readable. */
function byRule(a: GateFinding, b: GateFinding): number {
  return a.source.localeCompare(b.source) || a.id.localeCompare(b.id) || a.resource.localeCompare(b.resource);
}

export async function synthPlatform(options: SynthOptions): Promise<SynthResult> {
  const platform = await loadPlatformModel(options.configFile);
  const selected = options.environments ?? platform.promotion.order;
  const unknown = selected.filter((name) => !platform.environments.some((env) => env.name === name));
  if (unknown.length > 0) {
    throw new UserInputError(`unknown environment${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the config has ${platform.environments.map((env) => env.name).join(', ')}`);
  }
  const environments = platform.promotion.order.filter((name) => selected.includes(name)).map((name) => platform.environments.find((env) => env.name === name)!);
  const context: PipelineContext = { platform, configDir: dirname(resolve(options.configFile)), now: options.now ?? new Date() };
  const cwd = options.cwd ?? process.cwd();
  const outDir = resolve(cwd, options.outDir ?? 'dist');
  // Refuses (exit 2, nothing touched) a folder the tool does not own, before any work.
  const staged = await openOutputFolder({
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
    const used = new Set<Suppression>();
    const results: EnvironmentSynthResult[] = [];
    const steps = options.steps ?? STEPS;
    for (const env of environments) steps.forEach((step) => step.prepare?.(context, env));
    for (const env of environments) {
      const envOutDir = join(staged.stagingDir, env.name);
      await mkdir(envOutDir, { recursive: true });
      const findings: GateFinding[] = [];
      const summary: Record<string, string> = {};
      for (const step of steps) {
        options.progress?.(`${env.name}: ${step.name}`);
        const result = await step.run(context, env, envOutDir);
        findings.push(...result.findings);
        Object.assign(summary, result.summary);
      }
      const suppressed = applySuppressions(findings, platform.suppressions, { environment: env.name, stackPath: env.stackName }, context.now);
      suppressed.used.forEach((entry) => used.add(entry));
      const sorted = [...suppressed.findings].sort(byRule);
      await writeFile(join(envOutDir, GATES_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
      results.push({ name: env.name, findings: sorted, tally: tallyFindings(sorted), summary });
    }
    const ok = results.every((env) => env.tally.failed === 0);
    const unusedSuppressions = platform.suppressions.filter((entry) => !used.has(entry));
    if (!ok) {
      await staged.discard();
      return { ok, outDir, environments: results, unusedSuppressions };
    }
    await writeFile(join(staged.stagingDir, SUMMARY_FILE), renderSummaryMarkdown(platform.project, results));
    await staged.commit();
    return { ok, outDir, environments: results, unusedSuppressions };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}
