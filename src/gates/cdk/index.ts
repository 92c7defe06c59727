/**
 * The packs that judge the AWS layer inside CDK synthesis, attached with
 * `Validations.of(app).addPlugins(...)` (the cdk-nag v3 way): Control Tower (cfn-guard), cdk-nag
 * (AwsSolutions, NIST 800-53 rev 5) and the ADR-15 pack. `bottlerocket-eks synth` attaches them in
 * `record` mode and judges their findings with the cluster layer's; the cdk.json app attaches them
 * in `cdk` mode, where each pack applies the platform.yaml suppressions and reports what still
 * fails, so `cdk synth` and `cdk deploy` fail on exactly what `bottlerocket-eks synth` fails on.
 */
import { Validations, type App, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import type { PlatformModel } from '../../config/index.js';
import type { Ledger } from '../../releases/index.js';
import type { GateFinding } from '../finding.js';
import { AdrChecks } from '../packs/adr.js';
import { recordingNagPacks } from '../packs/cdk-nag.js';
import { ControlTowerGuard } from '../packs/control-tower.js';
import { applySuppressions } from '../suppressions.js';
import { byStack, RECORD_ONLY, type RecordedFinding, type ReportMode, type StackVerdict } from './report.js';

export { acknowledgementReason } from './acknowledgements.js';
export { CONTROL_TOWER_SOURCE, controlTowerRuleFiles } from '../packs/control-tower.js';
export type { RecordedFinding, ReportMode, StackVerdict } from './report.js';

/** App context that lets the gates, not CDK, decide what a violation means (`record` mode). */
export const GATE_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

export interface AwsGates {
  /** The validation plugins, in the order CDK should run them; pass them to the AWS renderer. */
  readonly plugins: readonly IPolicyValidationPlugin[];
  /** Every finding of the last synthesis per stack construct path, passes included (once cfn-guard has finished). */
  findings(): Promise<ReadonlyMap<string, GateFinding[]>>;
}

export interface AwsGateOptions {
  /**
   * The platform, ledger and day the ADR pack judges; without them only cdk-nag and Control
   * Tower run (tests of single constructs).
   *
   * @default - no ADR pack
   */
  readonly adr?: { readonly model: PlatformModel; readonly ledger: Ledger; readonly now: Date };
  /**
   * `record`: the packs only record; cfn-guard runs in child processes after synthesis returns
   * (`findings()` waits for it), so the caller can work meanwhile. `cdk`: every pack reports its
   * failures left after `suppressions` to CDK, which fails synthesis on any.
   *
   * @default 'record'
   */
  readonly mode?: 'record' | 'cdk';
  /** In `cdk` mode, warnings fail synthesis too (`BOTTLEROCKET_EKS_STRICT=1` in the cdk.json app). @default false */
  readonly strict?: boolean;
  /** Platform suppressions applied in `cdk` mode. @default - those of `adr.model`, else none */
  readonly verdict?: StackVerdict;
}

/** platform.yaml suppressions, scoped to the environment whose stack a finding belongs to; `now` decides which have expired. */
export function platformVerdict(model: Pick<PlatformModel, 'environments' | 'suppressions'>, now: Date): StackVerdict {
  return (stackPath, findings) => {
    const environment = model.environments.find((env) => env.stackName === stackPath)?.name ?? stackPath;
    return applySuppressions(findings, model.suppressions, { environment, stackPath }, now).findings;
  };
}

export function createAwsGates(options: AwsGateOptions = {}): AwsGates {
  const mode = options.mode ?? 'record';
  const verdict = options.verdict ?? (options.adr ? platformVerdict(options.adr.model, options.adr.now) : (_stackPath, findings) => findings);
  const report: ReportMode = mode === 'cdk' ? { kind: 'verdict', verdict, strict: options.strict ?? false } : RECORD_ONLY;
  const controlTower = new ControlTowerGuard({ deferred: mode === 'record', report });
  const nag = recordingNagPacks(report);
  const adr = options.adr ? new AdrChecks({ ...options.adr, report }) : undefined;
  return {
    // Control Tower first: its cfn-guard processes start before cdk-nag walks the tree.
    plugins: [controlTower, ...nag.map((pack) => pack.plugin), ...(adr ? [adr] : [])],
    findings: async () => {
      const recorded: RecordedFinding[] = [...nag.flatMap((pack) => pack.findings()), ...(adr?.findings() ?? []), ...(await controlTower.settled())];
      return byStack(recorded);
    },
  };
}

/** Create the gates and attach them to `app` (for apps built outside the AWS renderer, e.g. tests of single constructs). */
export function attachAwsGates(app: App, options: AwsGateOptions = {}): AwsGates {
  const gates = createAwsGates(options);
  Validations.of(app).addPlugins(...gates.plugins);
  return gates;
}
