/**
 * cdk-nag v3 packs (AwsSolutions, NIST 800-53 rev 5) that also record what they saw. cdk-nag
 * reports only unacknowledged violations; the gate needs passes and acknowledged findings too,
 * so each rule call is observed on its way through the pack. Every rule is called for every
 * resource, so single N/A answers are not recorded; a rule that answered N/A for every resource of
 * a stack is recorded once for that stack as `not-applicable`, saying why (for the EKS rules:
 * they test `aws_eks.CfnCluster`, a class the aws-eks-v2 stacks never use, and which ADR rule
 * checks the same thing instead).
 */
import { AwsSolutionsChecks, NagRuleCompliance, NIST80053R5Checks, type IApplyRule, type NagPack, type NagRuleResult } from 'cdk-nag';
import { Stack, type CfnResource, type IPolicyValidationContext, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GateFinding } from '../../gates/finding.js';
import { acknowledgementReason } from './acknowledgements.js';
import { withIdleServiceModules } from './idle-service-modules.js';

/**
 * cdk-nag rules that can never apply to these stacks, with the project rule that checks the same
 * thing: cdk-nag's EKS rules test `instanceof aws_eks.CfnCluster`, and the stacks use aws-eks-v2.
 */
export const NAG_RULES_REPLACED: Readonly<Record<string, string>> = {
  'AwsSolutions-EKS1': 'cdk-nag tests aws_eks.CfnCluster, which the aws-eks-v2 stacks never use; ADR15-EP-1 checks the public endpoint instead',
  'AwsSolutions-EKS2': 'cdk-nag tests aws_eks.CfnCluster, which the aws-eks-v2 stacks never use; ADR15-LOG-1 checks control-plane logging instead',
};

class NagRecorder {
  private readonly recorded: GateFinding[] = [];
  /** Construct paths of the stacks seen, and per rule the stacks where it judged some resource. */
  private readonly stacks = new Set<string>();
  private readonly evaluatedIn = new Map<string, Set<string>>();

  constructor(private readonly source: string) {}

  /** Every finding, and one `not-applicable` per rule and stack where the rule judged nothing. */
  get findings(): GateFinding[] {
    const notApplicable = [...this.evaluatedIn].flatMap(([ruleId, evaluated]) =>
      [...this.stacks]
        .filter((stack) => !evaluated.has(stack))
        .map((stack): GateFinding => ({
          id: ruleId,
          source: this.source,
          resource: stack,
          result: 'not-applicable',
          reason: NAG_RULES_REPLACED[ruleId] ?? 'no resource of this stack is of a type the rule checks',
        })),
    );
    return [...this.recorded, ...notApplicable];
  }

  observe(ruleId: string, info: string, node: CfnResource, result: NagRuleResult): void {
    const stack = Stack.of(node).node.path;
    this.stacks.add(stack);
    const evaluated = this.evaluatedIn.get(ruleId) ?? new Set<string>();
    this.evaluatedIn.set(ruleId, evaluated);
    if (result === NagRuleCompliance.NOT_APPLICABLE) return;
    evaluated.add(stack);
    const resource = node.node.path;
    if (result === NagRuleCompliance.COMPLIANT) {
      this.recorded.push({ id: ruleId, source: this.source, resource, result: 'pass' });
      return;
    }
    const ids = result === NagRuleCompliance.NON_COMPLIANT ? [ruleId] : result.map((finding) => `${ruleId}[${finding}]`);
    for (const id of ids) this.violation(id, info, node);
  }

  violation(id: string, reason: string, node: CfnResource): void {
    const stack = Stack.of(node).node.path;
    this.stacks.add(stack);
    const ruleId = id.replace(/\[.*$/, '');
    this.evaluatedIn.set(ruleId, (this.evaluatedIn.get(ruleId) ?? new Set<string>()).add(stack));
    const acknowledged = acknowledgementReason(node, id);
    this.recorded.push(
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
