/**
 * ADR15-PROMO-1 over the model and the ledger: one finding per pinned version of an environment
 * (its Kubernetes version, each node group's release), judged by the promotion verdicts of
 * src/releases on the day the ledger says the version was first applied.
 */
import type { EnvironmentConfig, PlatformConfig } from '../../config/index.js';
import { describeSubject, isoDay, LEDGER_FILE, promotionVerdict, recordOf, type Ledger, type Subject } from '../../releases/index.js';
import { ADR_RULES } from '../adr-catalogue.js';
import type { GateFinding } from '../finding.js';
import { adrFinding, fail, pass } from '../rule.js';

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
  ];
}

/**
 * The gate: one finding per pinned version of `env`. Each is judged on the day the ledger says
 * it was first applied, which is when the promotion decision was made; a version missing from
 * the ledger, or recorded after `now`, cannot have been promoted properly.
 */
export function evaluatePromotionGate(platform: PlatformConfig, ledger: Ledger, env: EnvironmentConfig, now: Date): GateFinding[] {
  const today = isoDay(now);
  return pinnedVersions(env).map(({ resource, subject, nodeGroup }) => {
    const finding = (verdict: Parameters<typeof adrFinding>[2]) => adrFinding(ADR_RULES.promotion, resource, verdict);
    const record = recordOf(ledger, env.name, subject, nodeGroup);
    const flag = subject.kind === 'release' ? '--to' : '--kubernetes-version';
    const bump = ` run \`bottlerocket-eks releases bump --env ${env.name} ${flag} ${subject.version}\``;
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
}
