/** What a synth returns, per environment and as a whole (the CLI prints it, `summary.md` renders it). */
import type { Suppression } from '../config/index.js';
import type { GateFinding, GateTally } from '../gates/finding.js';

export interface EnvironmentSynthResult {
  readonly name: string;
  /** Every finding of every gate, suppressions applied, in gates.json order. */
  readonly findings: readonly GateFinding[];
  readonly tally: GateTally;
  /** Facts for the summary table, AWS layer first, then the cluster layer, then promotion. */
  readonly summary: Readonly<Record<string, string>>;
}

export interface SynthResult {
  /** True when no finding failed (with `strict`, none warned); only then was `outDir` written. */
  readonly ok: boolean;
  readonly outDir: string;
  readonly environments: readonly EnvironmentSynthResult[];
  /** `platform.yaml` suppressions that matched nothing (stale entries). */
  readonly unusedSuppressions: readonly Suppression[];
}
