/**
 * What every pack records while CDK validates, and the validation report it gives CDK. A pack
 * records each finding with the stack it belongs to (and the logical id, for failures); in the
 * synth pipeline CDK does not judge (the pipeline does, over every layer), so the pack reports
 * nothing. Under `cdk synth` / `cdk deploy` the pack applies the platform's verdict (the
 * platform.yaml suppressions) and reports each remaining failure, which fails synthesis, and each
 * warning as a `warning` violation, which CDK prints without failing.
 */
import type { IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import type { GateFinding } from '../finding.js';

export interface RecordedFinding {
  /** Construct path of the stack the finding belongs to. */
  readonly stackPath: string;
  readonly finding: GateFinding;
  /** Logical id of the resource in the stack's template (needed for failures CDK reports). */
  readonly logicalId?: string;
}

/** Turns one stack's findings into their final results (platform.yaml suppressions applied). */
export type StackVerdict = (stackPath: string, findings: readonly GateFinding[]) => readonly GateFinding[];

/** How a pack ends its validation: silent (the pipeline judges) or with the platform's verdict (`strict`: warnings fail too). */
export type ReportMode = { readonly kind: 'record' } | { readonly kind: 'verdict'; readonly verdict: StackVerdict; readonly strict?: boolean };

export const RECORD_ONLY: ReportMode = { kind: 'record' };

/** Findings per stack construct path, in recording order. */
export function byStack(recorded: readonly RecordedFinding[]): Map<string, GateFinding[]> {
  const stacks = new Map<string, GateFinding[]>();
  for (const { stackPath, finding } of recorded) stacks.set(stackPath, [...(stacks.get(stackPath) ?? []), finding]);
  return stacks;
}

export function validationReport(recorded: readonly RecordedFinding[], context: IPolicyValidationContext, mode: ReportMode): PolicyValidationPluginReport {
  if (mode.kind === 'record') return { success: true, violations: [] };
  const templatePaths = new Map(context.stackTemplates.map((stack) => [stack.stackConstructPath, stack.templatePath]));
  const violations: PolicyViolation[] = [];
  for (const stackPath of new Set(recorded.map((entry) => entry.stackPath))) {
    const entries = recorded.filter((entry) => entry.stackPath === stackPath);
    const judged = mode.verdict(
      stackPath,
      entries.map((entry) => entry.finding),
    );
    judged.forEach((finding, index) => {
      if (finding.result !== 'fail' && finding.result !== 'warn') return;
      violations.push({
        ruleName: finding.id,
        description: `${finding.id} ${finding.resource}: ${finding.reason ?? 'failed'}`,
        // CDK prints a `warning` violation and still synthesizes (unless its construct-library strict mode is on).
        severity: finding.result === 'warn' && mode.strict !== true ? 'warning' : 'error',
        violatingResources: [{ resourceLogicalId: entries[index]!.logicalId ?? finding.resource, templatePath: templatePaths.get(stackPath) ?? '', locations: [] }],
      });
    });
  }
  return { success: violations.every((violation) => violation.severity !== 'error'), violations };
}
