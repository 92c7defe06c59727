/**
 * Where a Kubernetes version stands in EKS support on a given day, from the release calendar
 * (`eks-release-calendar.ts`). Pure: the day is always passed in, so nothing depends on the clock.
 * The gate that turns this into findings is `src/gates/rules/aws/kubernetes-support.ts`.
 */
import { daysBetween } from './calendar.js';
import { EKS_RELEASE_CALENDAR, type EksVersionSupport } from './eks-release-calendar.js';

/** Warn this many days (inclusive) before standard support ends. */
export const STANDARD_SUPPORT_WARNING_DAYS = 60;

export type KubernetesSupport =
  | { readonly phase: 'unknown'; readonly version: string }
  | { readonly phase: 'not-released' | 'standard' | 'ending' | 'extended' | 'end-of-life'; readonly version: string; readonly calendar: EksVersionSupport; readonly daysLeft: number };

export function calendarEntry(version: string): EksVersionSupport | undefined {
  return EKS_RELEASE_CALENDAR.find((entry) => entry.version === version);
}

/**
 * `standard`: more than 60 days of standard support left. `ending`: 60 days or fewer. `extended`:
 * from the end-of-standard-support day (when extended billing starts). `end-of-life`: from the
 * end-of-extended-support day. `daysLeft` counts to the end of the current phase.
 */
export function kubernetesSupportOn(version: string, day: string): KubernetesSupport {
  const calendar = calendarEntry(version);
  if (calendar === undefined) return { phase: 'unknown', version };
  const until = (end: string) => daysBetween(day, end);
  if (day < calendar.eksRelease) return { phase: 'not-released', version, calendar, daysLeft: until(calendar.eksRelease) };
  if (day >= calendar.endOfExtendedSupport) return { phase: 'end-of-life', version, calendar, daysLeft: 0 };
  if (day >= calendar.endOfStandardSupport) return { phase: 'extended', version, calendar, daysLeft: until(calendar.endOfExtendedSupport) };
  const daysLeft = until(calendar.endOfStandardSupport);
  return { phase: daysLeft <= STANDARD_SUPPORT_WARNING_DAYS ? 'ending' : 'standard', version, calendar, daysLeft };
}
