/**
 * The synth pipeline runs, per environment, a fixed list of steps (see `steps.ts`): the AWS
 * layer, the cluster layer, the promotion rule. Each step writes its files under the
 * environment's staging folder and returns gate findings; the pipeline applies suppressions,
 * writes `gates.json` and the summary, and moves the staging folder into place only when no
 * unsuppressed finding failed.
 */
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import type { GateFinding } from '../gates/finding.js';

export interface PipelineContext {
  readonly platform: PlatformModel;
  /** Folder of the config file; the ledger and other committed inputs sit beside it. */
  readonly configDir: string;
  /** "Now" for date-based rules (promotion soak); injectable for tests. */
  readonly now: Date;
}

export interface EnvironmentStepResult {
  /** Every rule evaluated, passing ones included. */
  readonly findings: readonly GateFinding[];
  /** Short facts for the summary table, e.g. `{ 'cluster layer': 'flux, 14 objects' }`. */
  readonly summary?: Readonly<Record<string, string>>;
}

export interface EnvironmentStep {
  /** Short name for progress lines, e.g. `aws`, `cluster`, `promotion`. */
  readonly name: string;
  /**
   * Produce this step's outputs for one environment.
   * @param envOutDir the environment's staging folder (`<staging>/<env>/`); write only inside it.
   */
  run(context: PipelineContext, env: EnvironmentModel, envOutDir: string): Promise<EnvironmentStepResult>;
  /**
   * Called for every environment before any step runs: queue work that needs no other step's
   * output with `deferWork()` (`deferred-work.ts`), so it runs while the AWS step waits. `run()`
   * must give the same result whether or not this was called.
   */
  prepare?(context: PipelineContext, env: EnvironmentModel): void;
}
