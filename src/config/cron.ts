/**
 * The 7-field cron brupop's scheduler takes (`sec min hour day-of-month month day-of-week year`,
 * UTC), checked field by field so a typo is refused at load instead of silently never matching.
 * Each field is a comma-separated list of `*`, a value or a range `a-b`, each optionally `/step`;
 * months and weekdays also take three-letter names.
 */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Day fields also take `?` ("no specific value"). */
  readonly question?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Numbered 1-7 from Sunday, as the scheduler counts them. */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly CronField[] = [
  { name: 'seconds', min: 0, max: 59 },
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, question: true },
  { name: 'year', min: 1970, max: 2100 },
];

function valueOf(field: CronField, token: string): number | string {
  const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named !== -1) return named + 1;
  if (!/^\d+$/.test(token)) return `"${token}" is not a number${field.names ? ' or a three-letter name' : ''}`;
  const value = Number(token);
  return value < field.min || value > field.max ? `${value} is outside ${field.min}-${field.max}` : value;
}

function itemProblem(field: CronField, item: string): string | undefined {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined || range === '') return `"${item}" is not a value, range or step`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" must be a positive number`;
  if (range === '*' || (range === '?' && field.question === true && step === undefined)) return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" is not a value or range`;
  const values = bounds.map((token) => valueOf(field, token));
  const problem = values.find((value): value is string => typeof value === 'string');
  if (problem !== undefined) return problem;
  const [start, end] = values as number[];
  return end !== undefined && start! > end ? `range ${range} runs backwards` : undefined;
}

/** Why `expression` is not a valid 7-field cron, or undefined when it is. */
export function sevenFieldCronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return `has ${parts.length} fields, needs 7 (sec min hour day-of-month month day-of-week year)`;
  for (const [index, part] of parts.entries()) {
    const field = FIELDS[index]!;
    for (const item of part.split(',')) {
      const problem = itemProblem(field, item);
      if (problem !== undefined) return `${field.name} field "${part}": ${problem}`;
    }
  }
  return undefined;
}
