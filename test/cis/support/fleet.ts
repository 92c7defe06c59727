/** A small fleet of CIS reports (the ADR's two reports plus one failing node) and its aggregate, shared by the format tests. */
import { readFileSync } from 'node:fs';
import { aggregate } from '../../../src/cis/aggregate.js';
import { evidenceKey } from '../../../src/cis/origin.js';
import { readReport } from '../../../src/cis/read.js';
import { ADR_FILES, evidence } from './reports.js';

const adrReports = Object.values(ADR_FILES).map((file) => readReport({ source: file, relative: file.split('/').pop()!, text: readFileSync(file, 'utf8') }, { cluster: 'adr', node: 'control' }));
const failing = (() => {
  const data = evidence({ type: 'kubernetes', cluster: 'c1', node: 'node-b', timestamp: '2025-06-03T03:00:00.000000000Z', statuses: { '4.2.13': 'FAIL' } });
  const key = evidenceKey('c1', 'node-b', 'kubernetes', 2, new Date(data.collectedAt));
  return readReport({ source: `s3://bucket/${key}`, relative: key, text: JSON.stringify(data) });
})();
export const reports = [...adrReports, failing];
export const fleet = aggregate(reports, { now: new Date('2025-06-03T12:00:00Z'), intervalHours: 24, graceHours: 6 });

