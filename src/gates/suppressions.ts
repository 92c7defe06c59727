/**
 * Accepted findings from `platform.yaml` `suppressions`: a failed (or warning) finding whose rule
 * and resource match an entry becomes `suppressed`, carrying the entry's reason. It stays in gates.json.
 * Accepting a warning is how a team records that it runs, say, extended support on purpose (with
 * `expires`, so it is reviewed again).
 *
 * Matching: `rule` equals the finding id, or is its prefix before `[` (so `AwsSolutions-IAM5`
 * covers `AwsSolutions-IAM5[Resource::...]`). `resource` equals the finding's resource or ends
 * in `/*` and prefixes it; it may include the stack name (`fedplat-dev/Evidence/*`) or start
 * below it (`Evidence/*`), so one entry can cover every environment.
 *
 * An entry past its `expires` day (UTC) no longer applies: the findings it covered fail again,
 * and the entry itself becomes a failed `SUPPRESSION-EXPIRED` finding, so synth fails until
 * someone reviews it (renews `expires` or removes it).
 */
import type { Suppression } from '../config/index.js';
import type { GateFinding } from './finding.js';

export interface SuppressionScope {
  readonly environment: string;
  /** Construct path prefix of the environment's stack, e.g. `fedplat-dev`. */
  readonly stackPath?: string;
}

function ruleMatches(rule: string, id: string): boolean {
  return id === rule || id.startsWith(`${rule}[`);
}

function resourceMatches(pattern: string, resource: string, stackPath: string | undefined): boolean {
  const candidates = [resource];
  if (stackPath && resource.startsWith(`${stackPath}/`)) candidates.push(resource.slice(stackPath.length + 1));
  return candidates.some((candidate) => (pattern.endsWith('/*') ? candidate.startsWith(pattern.slice(0, -1)) || candidate === pattern.slice(0, -2) : candidate === pattern));
}

export function suppressionMatches(suppression: Suppression, finding: GateFinding, scope: SuppressionScope): boolean {
  if (suppression.environments && !suppression.environments.includes(scope.environment)) return false;
  return ruleMatches(suppression.rule, finding.id) && resourceMatches(suppression.resource, finding.resource, scope.stackPath);
}

export interface SuppressionOutcome {
  readonly findings: GateFinding[];
  /** Suppressions that matched at least one finding. */
  readonly used: ReadonlySet<Suppression>;
}

export const SUPPRESSION_EXPIRED = 'SUPPRESSION-EXPIRED';

/** Whether `suppression` has expired on `now`: its `expires` day (UTC) is over. */
export function suppressionExpired(suppression: Suppression, now: Date): boolean {
  return suppression.expires !== undefined && now.toISOString().slice(0, 10) > suppression.expires;
}

export function applySuppressions(
  findings: readonly GateFinding[],
  suppressions: readonly Suppression[],
  scope: SuppressionScope,
  now: Date = new Date(),
): SuppressionOutcome {
  const used = new Set<Suppression>();
  const inScope = suppressions.filter((suppression) => !suppression.environments || suppression.environments.includes(scope.environment));
  const expired = inScope.filter((suppression) => suppressionExpired(suppression, now));
  const live = suppressions.filter((suppression) => !expired.includes(suppression));
  const result = findings.map((finding) => {
    if (finding.result !== 'fail' && finding.result !== 'warn') return finding;
    const match = live.find((suppression) => suppressionMatches(suppression, finding, scope));
    if (!match) return finding;
    used.add(match);
    return { ...finding, result: 'suppressed' as const, reason: `${match.reason} (platform.yaml suppression; was${finding.result === 'warn' ? ' a warning' : ''}: ${finding.reason ?? 'failed'})` };
  });
  for (const suppression of expired) {
    used.add(suppression);
    result.push({
      id: SUPPRESSION_EXPIRED,
      source: 'platform.yaml',
      resource: `${suppression.rule} ${suppression.resource}`,
      result: 'fail',
      reason: `the suppression of ${suppression.rule} on ${suppression.resource} expired on ${suppression.expires}; review it, then renew \`expires\` or remove it`,
    });
  }
  return { findings: result, used };
}
