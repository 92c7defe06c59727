/** Options several commands share: the day a run judges (`--date`) and whether warnings fail (`--strict`). */
import { InvalidArgumentError, Option } from 'commander';
import { isIsoDay } from '../releases/index.js';

function utcDay(value: string): string {
  if (!isIsoDay(value)) throw new InvalidArgumentError('must be a UTC day in YYYY-MM-DD form');
  return value;
}

/** `--date YYYY-MM-DD`: a UTC day instead of today's (tests and reviews of a past or coming day). */
export function dayOption(what: string): Option {
  return new Option('--date <YYYY-MM-DD>', `${what} (default: today, UTC)`).argParser(utcDay);
}

/** The instant a run judges: the start of `--date`, else now. */
export function runInstant(date: string | undefined): Date {
  return date === undefined ? new Date() : new Date(`${date}T00:00:00Z`);
}

export const STRICT_OPTION_HELP = 'warnings (e.g. ADR15-VER-1: a Kubernetes version near or in extended support) fail the run too (exit 1)';
