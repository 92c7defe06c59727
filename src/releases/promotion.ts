/**
 * ADR15-PROMO-1: "tested in lower environments before being rolled out to higher
 * environments". An environment may run a release or Kubernetes version only if every
 * environment before it in `promotion.order` has run it for at least `promotion.soakDays`
 * according to the ledger; the first environment is free. Pure functions over
 * (config, ledger, day), shared by `releases bump`, `releases check` and synth.
 */
import type { EnvironmentConfig, PlatformConfig } from '../config/index.js';
import { ADR_RULES } from '../gates/adr-catalogue.js';
import type { GateFinding } from '../gates/finding.js';
import { addDays, daysBetween, isoDay } from './calendar.js';
import { firstRunDay, LEDGER_FILE, recordOf, type Ledger, type Subject } from './ledger.js';

export type PromotionVerdict =
  | { readonly allowed: true; readonly reason: string }
  | { readonly allowed: false; readonly reason: string };

export function describeSubject(subject: Subject): string {
  return subject.kind === 'release' ? `release ${subject.version}` : `Kubernetes ${subject.version}`;
}

/** May `environment` take `subject` on `day` (YYYY-MM-DD)? The reason names every blocking environment and its dates. */
export function promotionVerdict(platform: PlatformConfig, ledger: Ledger, environment: string, subject: Subject, day: string): PromotionVerdict {
  const { order, soakDays } = platform.promotion;
  const position = order.indexOf(environment);
  if (position === 0) return { allowed: true, reason: `${environment} is first in promotion.order` };
  const blockers: string[] = [];
  const soaked: string[] = [];
  for (const earlier of order.slice(0, Math.max(position, 0))) {
    const since = firstRunDay(ledger, earlier, subject, day);
    if (since === undefined) {
      blockers.push(`${earlier} has not run ${describeSubject(subject)}`);
      continue;
    }
    const days = daysBetween(since, day);
    if (days < soakDays) {
      blockers.push(`${earlier} has run ${describeSubject(subject)} only since ${since} (${days} of ${soakDays} days; soaked on ${addDays(since, soakDays)})`);
    } else {
      soaked.push(`${earlier} since ${since}`);
    }
  }
  if (blockers.length > 0) return { allowed: false, reason: `${environment} may not take ${describeSubject(subject)} on ${day}: ${blockers.join('; ')}` };
  return { allowed: true, reason: `soaked in ${soaked.join(', ')}` };
}

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
  const { id, adrSection, nistControls } = ADR_RULES.promotion;
  const today = isoDay(now);
  return pinnedVersions(env).map(({ resource, subject, nodeGroup }) => {
    const finding = { id, source: 'ADR-15', resource, adrSection, nistControls: [...nistControls] };
    const record = recordOf(ledger, env.name, subject, nodeGroup);
    const flag = subject.kind === 'release' ? '--to' : '--kubernetes-version';
    const bump = ` run \`bottlerocket-eks releases bump --env ${env.name} ${flag} ${subject.version}\``;
    if (record === undefined) {
      return { ...finding, result: 'fail' as const, reason: `hand-edited: ${resource} runs ${describeSubject(subject)} but ${LEDGER_FILE} has no record of it;${bump}` };
    }
    if (record.firstApplied > today) {
      return { ...finding, result: 'fail' as const, reason: `${LEDGER_FILE} records ${describeSubject(subject)} in ${env.name} as first applied on ${record.firstApplied}, after today (${today})` };
    }
    if (record.override !== undefined) {
      return { ...finding, result: 'suppressed' as const, reason: `override on ${record.firstApplied}: ${record.override}` };
    }
    const verdict = promotionVerdict(platform, ledger, env.name, subject, record.firstApplied);
    return { ...finding, result: verdict.allowed ? ('pass' as const) : ('fail' as const), reason: verdict.reason };
  });
}
