/**
 * ADR15-PROMO-1: "tested in lower environments before being rolled out to higher
 * environments". An environment may run a release, Kubernetes version or add-on version only if every
 * environment before it in `promotion.order` has run it for at least `promotion.soakDays`
 * according to the ledger; the first environment is free. Pure functions over
 * (config, ledger, day), shared by `releases bump`, `releases check` and the ADR15-PROMO-1 gate
 * (src/gates/rules/promotion.ts), which turns these verdicts into findings.
 */
import type { PlatformConfig } from '../config/index.js';
import { addDays, daysBetween } from './calendar.js';
import { firstRunDay, type Ledger, type Subject } from './ledger.js';

export type PromotionVerdict =
  | { readonly allowed: true; readonly reason: string }
  | { readonly allowed: false; readonly reason: string };

export function describeSubject(subject: Subject): string {
  switch (subject.kind) {
    case 'release':
      return `release ${subject.version}`;
    case 'kubernetes':
      return `Kubernetes ${subject.version}`;
    case 'addon':
      return `add-on ${subject.addon} ${subject.version}`;
  }
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
