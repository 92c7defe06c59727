/**
 * The text form of a CIS report, exactly as `apiclient report cis|cis-k8s` prints it (ADR-15 shows
 * two): header labels padded to 17 columns, one `[STATUS] <id padded to 9> <title> (<mode>)` line
 * per check, the four counts and the overall result. Anything else, a missing line, or a line out
 * of place is an error at its line: a report we cannot read completely is never a pass.
 */
import { UserInputError } from '../common/errors.js';
import { assertConsistent, type ReportPart } from './consistency.js';
import { BENCHMARK_NAMES, CHECK_ID, checkStatusSchema, type BenchmarkType, type CisCheck, type CisReport } from './model.js';

const LABEL_WIDTH = 17;
const ID_WIDTH = 9;
/** The ADR copies the shell prompt with the output; accept exactly that one line before the report. */
const PROMPT = /^\[[^\]]+\]\$ apiclient report (cis|cis-k8s)\b/;
const CHECK_LINE = /^\[([A-Z]+)\] (\S+) +(.*) \((Automatic|Manual)\)$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type TextReport = Omit<CisReport, 'source' | 'origin'>;

export function parseTextReport(file: string, text: string): TextReport {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let cursor = lines.length > 0 && PROMPT.test(lines[0]!) ? 1 : 0;

  const error = (lineIndex: number, message: string, col = 1) =>
    new UserInputError(message, { position: { file, line: Math.min(lineIndex, Math.max(lines.length - 1, 0)) + 1, col } });
  const take = (what: string): string => {
    const line = lines[cursor];
    if (line === undefined) throw error(lines.length, `truncated report: expected ${what} after the last line`);
    cursor += 1;
    return line;
  };
  const labelled = (label: string): { value: string; line: number } => {
    const line = take(`\`${label}\``);
    const prefix = `${label}:`.padEnd(LABEL_WIDTH);
    if (!line.startsWith(prefix) || line.length === prefix.length || line[prefix.length] === ' ') {
      throw error(cursor - 1, `expected \`${prefix}<value>\` (label padded to ${LABEL_WIDTH} columns), found ${JSON.stringify(line)}`);
    }
    return { value: line.slice(prefix.length), line: cursor };
  };
  const blank = (after: string) => {
    const line = take(`a blank line after ${after}`);
    if (line !== '') throw error(cursor - 1, `expected a blank line after ${after}, found ${JSON.stringify(line)}`);
  };
  const count = (label: string): { value: number; line: number } => {
    const { value, line } = labelled(label);
    if (!/^\d+$/.test(value)) throw error(line - 1, `${label} must be a whole number, found ${JSON.stringify(value)}`, LABEL_WIDTH + 1);
    return { value: Number(value), line };
  };

  const name = labelled('Benchmark name');
  const type = (Object.entries(BENCHMARK_NAMES) as Array<[BenchmarkType, string]>).find(([, n]) => n === name.value)?.[0];
  if (!type) throw error(name.line - 1, `unknown benchmark ${JSON.stringify(name.value)}; expected one of ${Object.values(BENCHMARK_NAMES).join(', ')}`, LABEL_WIDTH + 1);
  const version = labelled('Version').value;
  const url = labelled('Reference').value;
  const levelLine = labelled('Benchmark level');
  if (levelLine.value !== '1' && levelLine.value !== '2') throw error(levelLine.line - 1, `benchmark level must be 1 or 2, found ${JSON.stringify(levelLine.value)}`, LABEL_WIDTH + 1);
  const start = labelled('Start time');
  if (!TIMESTAMP.test(start.value) || Number.isNaN(Date.parse(start.value))) throw error(start.line - 1, `start time is not an RFC 3339 timestamp: ${JSON.stringify(start.value)}`, LABEL_WIDTH + 1);
  blank('the header');

  const checks: CisCheck[] = [];
  const checkLines: number[] = [];
  for (;;) {
    const line = take('a check line or a blank line before the counts');
    if (line === '') break;
    const match = CHECK_LINE.exec(line);
    if (!match) throw error(cursor - 1, `not a check line: ${JSON.stringify(line)}`);
    const [, statusText, id, title, mode] = match as unknown as [string, string, string, string, 'Automatic' | 'Manual'];
    const status = checkStatusSchema.safeParse(statusText);
    if (!status.success) throw error(cursor - 1, `unknown check status [${statusText}]; expected PASS, FAIL or SKIP`, 2);
    if (!CHECK_ID.test(id)) throw error(cursor - 1, `not a CIS check id: ${JSON.stringify(id)}`, 8);
    // Exact layout: bloodhound prints `{:9}` then one space, so a column shift means a damaged report.
    if (line !== `[${statusText}] ${id.padEnd(ID_WIDTH)} ${title} (${mode})`) throw error(cursor - 1, `check line is not in the apiclient layout (id padded to ${ID_WIDTH} columns)`, 8);
    checks.push({ id, title, mode, status: status.data });
    checkLines.push(cursor);
  }
  const passed = count('Passed');
  const failed = count('Failed');
  const skipped = count('Skipped');
  const total = count('Total checks');
  blank('the counts');
  const resultLine = take('`Compliance check result: <STATUS>`');
  const result = /^Compliance check result: ([A-Z]+)$/.exec(resultLine);
  const overall = checkStatusSchema.safeParse(result?.[1]);
  if (!result || !overall.success) throw error(cursor - 1, `expected \`Compliance check result: PASS|FAIL|SKIP\`, found ${JSON.stringify(resultLine)}`);
  const resultAt = cursor;
  if (cursor < lines.length) throw error(cursor, `unexpected text after the compliance check result: ${JSON.stringify(lines[cursor])}`);

  const report: TextReport = {
    type,
    level: levelLine.value === '1' ? 1 : 2,
    benchmark: { name: name.value, version, url },
    timestamp: start.value,
    status: overall.data,
    counts: { total: total.value, passed: passed.value, failed: failed.value, skipped: skipped.value },
    checks,
  };
  const countLines = { total: total.line, passed: passed.line, failed: failed.line, skipped: skipped.line };
  assertConsistent(report, (where: ReportPart) => {
    const line = where.part === 'check' ? checkLines[where.index]! : where.part === 'count' ? countLines[where.field] : resultAt;
    return { file, line, col: 1 };
  });
  return report;
}
