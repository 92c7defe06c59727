/**
 * ADR15-PROMO-1 over the model and the ledger: one finding per pinned version of an environment
 * (its Kubernetes version, each node group's release, each pinned EKS add-on), judged by the
 * promotion verdicts of src/releases on the day the ledger says the version was first applied;
 * and a warning per add-on left unpinned.
 */
import { MANAGED_ADDON_NAMES, type EnvironmentConfig, type PlatformConfig } from '../../config/index.js';
import { describeSubject, isoDay, LEDGER_FILE, promotionVerdict, recordOf, type Ledger, type Subject } from '../../releases/index.js';
import { ADR_RULES } from '../adr-catalogue.js';
import type { GateFinding } from '../finding.js';
import { adrFinding, fail, pass, warn } from '../rule.js';

interface Pinned {
  readonly resource: string;
  readonly subject: Subject;
  readonly nodeGroup?: string;
}

function pinnedVersions(env: EnvironmentConfig): Pinned[] {
  return [
    { resource: `${env.name}/kubernetesVersion`, subject: { kind: 'kubernetes', version: env.kubernetesVersion } },
    ...env.nodeGroups.map((group) => ({
      resource: `${env.name}/nodeGroups/${group.name}`,
      subject: { kind: 'release', version: group.releaseVersion } as const,
      nodeGroup: group.name,
    })),
    ...MANAGED_ADDON_NAMES.flatMap((addon) => {
      const version = env.addons[addon];
      return version === undefined ? [] : [{ resource: `${env.name}/addons/${addon}`, subject: { kind: 'addon', addon, version } as const }];
    }),
  ];
}

/** The bump flag that records `subject`. */
function bumpFlag(subject: Subject): string {
  switch (subject.kind) {
    case 'release':
      return `--to ${subject.version}`;
    case 'kubernetes':
      return `--kubernetes-version ${subject.version}`;
    case 'addon':
      return `--addon ${subject.addon}=${subject.version}`;
  }
}

/** An add-on without a pin runs whatever EKS picked at creation and is never promoted: a warning, not a failure (EKS picks a compatible version). */
function unpinnedAddons(env: EnvironmentConfig): GateFinding[] {
  return MANAGED_ADDON_NAMES.filter((addon) => env.addons[addon] === undefined).map((addon) =>
    adrFinding(
      ADR_RULES.promotion,
      `${env.name}/addons/${addon}`,
      warn(`add-on ${addon} is not pinned (environments[${env.name}].addons): EKS installs its default version for Kubernetes ${env.kubernetesVersion} when the cluster is created, and no bump or promotion moves it`),
    ),
  );
}

/**
 * The gate: one finding per pinned version of `env`. Each is judged on the day the ledger says
 * it was first applied, which is when the promotion decision was made; a version missing from
 * the ledger, or recorded after `now`, cannot have been promoted properly.
 */
export function evaluatePromotionGate(platform: PlatformConfig, ledger: Ledger, env: EnvironmentConfig, now: Date): GateFinding[] {
  const today = isoDay(now);
  const pinned = pinnedVersions(env).map(({ resource, subject, nodeGroup }) => {
    const finding = (verdict: Parameters<typeof adrFinding>[2]) => adrFinding(ADR_RULES.promotion, resource, verdict);
    const record = recordOf(ledger, env.name, subject, nodeGroup);
    const bump = ` run \`bottlerocket-eks releases bump --env ${env.name} ${bumpFlag(subject)}\``;
    if (record === undefined) {
      return finding(fail(`hand-edited: ${resource} runs ${describeSubject(subject)} but ${LEDGER_FILE} has no record of it;${bump}`));
    }
    if (record.firstApplied > today) {
      return finding(fail(`${LEDGER_FILE} records ${describeSubject(subject)} in ${env.name} as first applied on ${record.firstApplied}, after today (${today})`));
    }
    if (record.override !== undefined) {
      // A recorded override stays visible as suppressed, with its reason.
      return finding({ result: 'suppressed', reason: `override on ${record.firstApplied}: ${record.override}` });
    }
    const verdict = promotionVerdict(platform, ledger, env.name, subject, record.firstApplied);
    return finding(verdict.allowed ? pass(verdict.reason) : fail(verdict.reason));
  });
  return [...pinned, ...unpinnedAddons(env)];
}
