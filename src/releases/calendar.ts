/**
 * Promotion works in whole UTC days: the ledger records the day a version was first applied,
 * and soak time is the number of days between two such days.
 */
const DAY_MS = 86_400_000;

export const ISO_DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-11-27` for any instant of that UTC day. */
export function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar day in `YYYY-MM-DD` form (2026-02-30 is not). */
export function isIsoDay(text: string): boolean {
  return ISO_DAY_PATTERN.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && isoDay(new Date(`${text}T00:00:00Z`)) === text;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}
