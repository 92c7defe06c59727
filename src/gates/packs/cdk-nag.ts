/**
 * cdk-nag v3 packs (AwsSolutions, NIST 800-53 rev 5) that also record what they saw. cdk-nag
 * reports only unacknowledged violations; the gate needs passes and acknowledged findings too,
 * so each rule call is observed on its way through the pack. N/A results are not recorded
 * (every rule is called for every resource).
 */
import { AwsSolutionsChecks, NagRuleCompliance, NIST80053R5Checks, type IApplyRule, type NagPack, type NagRuleResult } from 'cdk-nag';
import type { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GateFinding } from '../finding.js';
import { acknowledgementReason } from '../cdk/acknowledgements.js';
import { withIdleServiceModules } from './idle-service-modules.js';

class NagRecorder {
  readonly findings: GateFinding[] = [];

  constructor(private readonly source: string) {}

  observe(ruleId: string, info: string, node: CfnResource, result: NagRuleResult): void {
    if (result === NagRuleCompliance.NOT_APPLICABLE) return;
    const resource = node.node.path;
    if (result === NagRuleCompliance.COMPLIANT) {
      this.findings.push({ id: ruleId, source: this.source, resource, result: 'pass' });
      return;
    }
    const ids = result === NagRuleCompliance.NON_COMPLIANT ? [ruleId] : result.map((finding) => `${ruleId}[${finding}]`);
    for (const id of ids) this.violation(id, info, node);
  }

  violation(id: string, reason: string, node: CfnResource): void {
    const acknowledged = acknowledgementReason(node, id);
    this.findings.push(
      acknowledged === undefined
        ? { id, source: this.source, resource: node.node.path, result: 'fail', reason }
        : { id, source: this.source, resource: node.node.path, result: 'suppressed', reason: acknowledged },
    );
  }
}

/** Wrap a rule so the recorder sees its result; a rule that throws could not resolve a value, which counts as a failure. */
function observed(recorder: NagRecorder, packName: string, params: IApplyRule): IApplyRule {
  const suffix = params.ruleSuffixOverride ?? params.rule.name;
  const ruleId = `${packName}-${suffix}`;
  const rule = (node: CfnResource): NagRuleResult => {
    let result: NagRuleResult;
    try {
      result = params.rule(node);
    } catch (error) {
      recorder.violation(ruleId, `${params.info} (value could not be resolved: ${(error as Error).message})`, node);
      throw error;
    }
    recorder.observe(ruleId, params.info, node, result);
    return result;
  };
  return { ...params, ruleSuffixOverride: suffix, rule };
}

/** A cdk-nag pack as a validation plugin, and what it recorded during the last validation. */
export interface RecordingPack {
  readonly plugin: NagPack;
  findings(): readonly GateFinding[];
}

// One subclass per pack: TypeScript mixins cannot extend the abstract NagPack's concrete packs generically.
class RecordingAwsSolutions extends AwsSolutionsChecks {
  recorder = new NagRecorder('AwsSolutions');

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.recorder = new NagRecorder('AwsSolutions');
    return withIdleServiceModules(() => super.validate(context));
  }

  protected override applyRule(params: IApplyRule): void {
    super.applyRule(observed(this.recorder, this.readPackName, params));
  }
}

class RecordingNist80053R5 extends NIST80053R5Checks {
  recorder = new NagRecorder('NIST.800.53.R5');

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.recorder = new NagRecorder('NIST.800.53.R5');
    return withIdleServiceModules(() => super.validate(context));
  }

  protected override applyRule(params: IApplyRule): void {
    super.applyRule(observed(this.recorder, this.readPackName, params));
  }
}

/** The packs the gate runs: AwsSolutions and NIST 800-53 rev 5. */
export function recordingNagPacks(scope: IConstruct): RecordingPack[] {
  return [new RecordingAwsSolutions(scope), new RecordingNist80053R5(scope)].map((pack) => ({ plugin: pack, findings: () => pack.recorder.findings }));
}
