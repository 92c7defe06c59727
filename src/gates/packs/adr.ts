/**
 * The ADR-15 pack as a CDK validation plugin (the cdk-nag v3 way: `Validations.of(app).addPlugins`),
 * so `bottlerocket-eks synth`, `cdk synth` and `cdk deploy` judge the AWS layer with the same
 * rules: the template rules (`rules/aws/`, the release calendar's ADR15-VER-1 on the day of the run) on every stack, and ADR15-PROMO-1 (`rules/promotion.ts`)
 * on the versions of the stack's environment against the promotion ledger. The rules on the
 * cluster layer (`rules/cluster.ts`) judge the GitOps output, which only the synth pipeline renders.
 */
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { PlatformModel } from '../../config/index.js';
import type { Ledger } from '../../releases/index.js';
import { ADR_RULES } from '../adr-catalogue.js';
import { readStackTemplates, type ValidatedStack } from '../cdk/stack-templates.js';
import { RECORD_ONLY, validationReport, type RecordedFinding, type ReportMode } from '../cdk/report.js';
import type { GateFinding } from '../finding.js';
import { ADR_SOURCE } from '../rule.js';
import { isoDay } from '../../releases/index.js';
import { evaluateAdrRules, evaluateSupportCalendar, logicalIdAt, resourcesOfType } from '../rules/aws/index.js';
import { evaluatePromotionGate } from '../rules/promotion.js';

export interface AdrPackProps {
  readonly model: PlatformModel;
  /** The promotion ledger beside the config (`releases.lock.yaml`). */
  readonly ledger: Ledger;
  /** "Now" for the soak rule and the release calendar (ADR15-VER-1). */
  readonly now: Date;
  /** @default RECORD_ONLY */
  readonly report?: ReportMode;
}

/** The template resource a promotion finding is about: the node group or add-on it pins, or the cluster for the Kubernetes version. */
function promotionLogicalId(stack: ValidatedStack, finding: GateFinding): string | undefined {
  const nodeGroup = /\/nodeGroups\/([^/]+)$/.exec(finding.resource)?.[1];
  const addon = /\/addons\/([^/]+)$/.exec(finding.resource)?.[1];
  const [match] =
    addon !== undefined
      ? resourcesOfType(stack.template, 'AWS::EKS::Addon').filter(({ properties }) => properties.AddonName === addon)
      : nodeGroup === undefined
      ? resourcesOfType(stack.template, 'AWS::EKS::Cluster')
      : // The physical name is `<name>-<hash of the create-only properties>` (src/infra/nodegroup.ts).
        resourcesOfType(stack.template, 'AWS::EKS::Nodegroup').filter(({ properties }) => typeof properties.NodegroupName === 'string' && new RegExp(`^${nodeGroup}(-[0-9a-f]{8})?$`).test(properties.NodegroupName));
  return match?.logicalId;
}

export class AdrChecks implements IPolicyValidationPlugin {
  readonly name = ADR_SOURCE;
  readonly ruleIds = Object.values(ADR_RULES).map((rule) => rule.id);
  private recorded: RecordedFinding[] = [];

  constructor(private readonly props: AdrPackProps) {}

  /** Every finding of the last validation. */
  findings(): readonly RecordedFinding[] {
    return this.recorded;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const { model, ledger, now } = this.props;
    this.recorded = readStackTemplates(context).flatMap((stack) => {
      const templateFindings = [...evaluateAdrRules(stack.template, stack.stackPath), ...evaluateSupportCalendar(stack.template, stack.stackPath, isoDay(now))].map((finding) => ({ stackPath: stack.stackPath, finding, logicalId: logicalIdAt(stack, finding.resource) }));
      const env = model.environments.find((candidate) => candidate.stackName === stack.stackPath);
      const promotion = env === undefined ? [] : evaluatePromotionGate(model, ledger, env, now);
      return [...templateFindings, ...promotion.map((finding) => ({ stackPath: stack.stackPath, finding, logicalId: promotionLogicalId(stack, finding) }))];
    });
    return validationReport(this.recorded, context, this.props.report ?? RECORD_ONLY);
  }
}
