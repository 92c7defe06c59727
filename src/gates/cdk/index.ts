/**
 * The gates that run inside CDK synthesis, attached with `Validations.of(app).addPlugins(...)`:
 * cdk-nag (AwsSolutions, NIST 800-53 rev 5) and the Control Tower proactive controls. CDK is
 * told not to throw on their violations; the pipeline reads every finding from here instead.
 */
import { Validations, type App } from 'aws-cdk-lib';
import type { GateFinding } from '../finding.js';
import { ControlTowerGuard } from '../packs/control-tower.js';
import { recordingNagPacks } from '../packs/cdk-nag.js';

export { acknowledgementReason } from './acknowledgements.js';
export { CONTROL_TOWER_SOURCE, controlTowerRuleFiles } from '../packs/control-tower.js';

/** App context that lets the gates, not CDK, decide what a violation means. */
export const GATE_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

export interface SynthGates {
  /** Every finding of the last synthesis, passes included (once cfn-guard has finished). */
  findings(): Promise<GateFinding[]>;
}

export interface SynthGateOptions {
  /**
   * Collect Control Tower results after synthesis instead of reporting them to CDK, so
   * cfn-guard runs while cdk-nag does (see `ControlTowerGuardOptions.deferred`).
   *
   * @default false
   */
  readonly deferControlTower?: boolean;
}

export function attachSynthGates(app: App, options: SynthGateOptions = {}): SynthGates {
  const controlTower = new ControlTowerGuard({ deferred: options.deferControlTower ?? false });
  const nag = recordingNagPacks(app);
  // Control Tower first: its cfn-guard processes start before cdk-nag walks the tree.
  Validations.of(app).addPlugins(controlTower, ...nag.map((pack) => pack.plugin));
  return {
    findings: async () => [...nag.flatMap((pack) => pack.findings()), ...(await controlTower.settled())],
  };
}
