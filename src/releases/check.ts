/**
 * `releases check`: every node group's pinned release against the newest one Amazon publishes
 * for its variant, how far behind it is, and whether the promotion rule lets it move today.
 */
import type { EnvironmentConfig, PlatformConfig } from '../config/index.js';
import { daysBetween, isoDay } from './calendar.js';
import type { Ledger } from './ledger.js';
import { promotionVerdict } from './promotion.js';
import type { PublishedRelease } from './ssm.js';
import { baseVersion, compareReleases, formatVariant, variantOf, type Variant } from './variant.js';

export interface ReleaseStatus {
  readonly environment: string;
  readonly nodeGroup: string;
  readonly variant: string;
  readonly pinned: string;
  readonly latest: string;
  readonly current: boolean;
  /** Releases newer than the pinned one that are known (the ledger and the latest): a lower bound. */
  readonly releasesBehind: number;
  /** Days since the first newer release was known (published, or applied anywhere); absent when current or unknown. */
  readonly daysBehind?: number;
  /** Day Amazon published the latest release for this variant, when SSM says. */
  readonly latestPublished?: string;
  /** Whether the promotion rule lets this environment take the latest release today. */
  readonly mayTakeNow: boolean;
  readonly promotion: string;
}

/** Looks up the latest releases for the variants of one region (SSM in production, a stub in tests). */
export type LatestReleaseLookup = (region: string, variants: readonly Variant[]) => Promise<Map<string, PublishedRelease>>;

export async function checkReleases(
  platform: PlatformConfig,
  ledger: Ledger,
  environments: readonly EnvironmentConfig[],
  now: Date,
  lookup: LatestReleaseLookup,
): Promise<ReleaseStatus[]> {
  const latest = await latestForEnvironments(environments, lookup);
  const today = isoDay(now);
  return environments.flatMap((env) =>
    env.nodeGroups.map((group) => {
      const variant = formatVariant(variantOf(env, group));
      const published = latest.get(`${env.region} ${variant}`);
      if (published === undefined) throw new Error(`lookup returned no release for ${variant} in ${env.region}`);
      const newer = newerKnownReleases(ledger, group.releaseVersion, published);
      const verdict = promotionVerdict(platform, ledger, env.name, { kind: 'release', version: published.version }, today);
      const firstKnown = firstKnownDay(ledger, newer, published);
      return {
        environment: env.name,
        nodeGroup: group.name,
        variant,
        pinned: group.releaseVersion,
        latest: published.version,
        current: newer.length === 0,
        releasesBehind: newer.length,
        ...(newer.length > 0 && firstKnown !== undefined ? { daysBehind: Math.max(0, daysBetween(firstKnown, today)) } : {}),
        ...(published.published ? { latestPublished: isoDay(published.published) } : {}),
        mayTakeNow: verdict.allowed,
        promotion: verdict.reason,
      };
    }),
  );
}

/** One lookup per region, every variant of that region's environments at once. */
async function latestForEnvironments(environments: readonly EnvironmentConfig[], lookup: LatestReleaseLookup): Promise<Map<string, PublishedRelease>> {
  const variantsByRegion = new Map<string, Map<string, Variant>>();
  for (const env of environments) {
    const variants = variantsByRegion.get(env.region) ?? new Map<string, Variant>();
    for (const variant of env.nodeGroups.map((group) => variantOf(env, group))) variants.set(formatVariant(variant), variant);
    variantsByRegion.set(env.region, variants);
  }
  const result = new Map<string, PublishedRelease>();
  for (const [region, variants] of variantsByRegion) {
    const found = await lookup(region, [...variants.values()]);
    for (const [variant, release] of found) result.set(`${region} ${variant}`, release);
  }
  return result;
}

/** Distinct release versions newer than `pinned`, up to and including the latest. */
function newerKnownReleases(ledger: Ledger, pinned: string, latest: PublishedRelease): string[] {
  const known = [latest.version, ...ledger.applied.flatMap((entry) => (entry.releaseVersion ? [entry.releaseVersion] : []))];
  const newer = known.filter((version) => compareReleases(version, pinned) > 0 && compareReleases(version, latest.version) <= 0);
  return [...new Set(newer.map(baseVersion))];
}

function firstKnownDay(ledger: Ledger, newer: readonly string[], latest: PublishedRelease): string | undefined {
  const days = ledger.applied
    .filter((entry) => entry.releaseVersion !== undefined && newer.includes(baseVersion(entry.releaseVersion)))
    .map((entry) => entry.firstApplied);
  if (latest.published) days.push(isoDay(latest.published));
  return days.sort()[0];
}
