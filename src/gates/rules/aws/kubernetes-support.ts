/**
 * ADR15-VER-1: the cluster's Kubernetes version against the EKS release calendar on a given day
 * (ADR-15 "Consequences: Updates": "EKS upgrades that happen 2-3 times a year"). Unlike the other
 * template rules it needs that day, so it is not in `TEMPLATE_RULES`; `evaluateSupportCalendar`
 * (index.ts) runs it wherever they run, with the day of the run (`--date` or the clock).
 *
 * Checks every `AWS::EKS::Cluster`, its literal `Version` and `UpgradePolicy.SupportType`:
 * - pass: more than 60 days of standard support left;
 * - warn: 60 days or fewer left, or in extended support (about six times the control-plane price
 *   with `EXTENDED`; with `STANDARD`, EKS upgrades the control plane on its own at the end of
 *   standard support, so the template no longer says what runs);
 * - fail: past the end of extended support or not released yet (EKS creates no cluster on it),
 *   no literal `Version` (EKS would pick its default), or a version the calendar does not list.
 *
 * Cannot see: what the deployed cluster runs (an EKS auto-upgrade happens outside the stack).
 */
import { kubernetesSupportOn, STANDARD_SUPPORT_WARNING_DAYS } from '../../../releases/index.js';
import { warn, type Verdict } from '../../rule.js';
import { asRecord, fail, judgeEach, pass, type CfnTemplateJson, type RuleOutcome } from './template.js';

const CALENDAR_FILE = 'src/releases/eks-release-calendar.ts';

function supportType(properties: Record<string, unknown>): string {
  const value = asRecord(properties.UpgradePolicy)?.SupportType;
  // EKS's own default when no policy is set is EXTENDED (user guide: "By default, for all new and existing clusters, the upgrade policy is set to EXTENDED").
  return typeof value === 'string' ? value : 'EXTENDED (the EKS default: no UpgradePolicy)';
}

function verdictOn(version: unknown, policy: string, day: string): Verdict {
  if (typeof version !== 'string') return fail('Version is not a literal Kubernetes version: EKS would create the cluster on its default version, which the release calendar cannot judge');
  const support = kubernetesSupportOn(version, day);
  if (support.phase === 'unknown') return fail(`Kubernetes ${version} is not in the EKS release calendar (${CALENDAR_FILE}); add its row with the source of its dates`);
  const { calendar } = support;
  switch (support.phase) {
    case 'not-released':
      return fail(`Kubernetes ${version} is not released on EKS until ${calendar.eksRelease}`);
    case 'end-of-life':
      return fail(`Kubernetes ${version} reached the end of EKS extended support on ${calendar.endOfExtendedSupport}: EKS creates no cluster on it and upgrades existing ones on its own; bump the environment with \`releases bump --kubernetes-version\``);
    case 'extended':
      return warn(
        `Kubernetes ${version} is in EKS extended support since ${calendar.endOfStandardSupport} (${support.daysLeft} days until it ends on ${calendar.endOfExtendedSupport}); upgrade policy ${policy}: ` +
          (policy === 'STANDARD'
            ? 'EKS upgrades such a control plane on its own at the end of standard support, so this template no longer says what runs'
            : 'extended support is charged at about six times the standard control-plane price'),
      );
    case 'ending':
      return warn(`Kubernetes ${version} leaves EKS standard support on ${calendar.endOfStandardSupport}, in ${support.daysLeft} days (warning from ${STANDARD_SUPPORT_WARNING_DAYS}); plan the upgrade through promotion.order`);
    case 'standard':
      return pass(`Kubernetes ${version} is in EKS standard support until ${calendar.endOfStandardSupport} (${support.daysLeft} days)`);
  }
}

/** ADR15-VER-1 on one template, judged on `day` (YYYY-MM-DD, UTC). */
export function kubernetesSupport(template: CfnTemplateJson, day: string): RuleOutcome[] {
  return judgeEach(template, 'AWS::EKS::Cluster', ({ properties }) => verdictOn(properties.Version, supportType(properties), day));
}
