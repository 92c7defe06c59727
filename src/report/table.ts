/** Human-readable table of policy results, with a one-line tally. */
import { tallyResults, type PolicyResult } from '../policy-engine/index.js';
import { resourceName, sourceLocation } from './resource-name.js';

const HEADERS = ['RESULT', 'POLICY', 'RESOURCE', 'LOCATION', 'MESSAGE'] as const;

/**
 * Columns padded to the widest cell; messages stay on one line so `grep` works on the output.
 * LOCATION is `file:line` of the resource, relative to `baseDir`, so every row can be opened.
 */
export function formatTable(results: readonly PolicyResult[], baseDir = process.cwd()): string {
  const rows = results.map((r) => [
    r.result.toUpperCase(),
    r.policy,
    resourceName(r.resource),
    sourceLocation(r.source, baseDir),
    r.message.replace(/\s+/g, ' ').trim(),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const t = tallyResults(results);
  const tally = `${t.pass} pass, ${t.fail} fail, ${t.warn} warn, ${t.error} error, ${t.skip} skip`;
  return [line(HEADERS), ...rows.map(line), '', tally].join('\n') + '\n';
}
