/**
 * `--format junit`: one test suite per node and benchmark, one test case per check, so CI
 * dashboards show each node's checks. FAIL is a failure, SKIP is skipped; stale evidence is a
 * failed `evidence-freshness` case, so a node that stopped reporting shows up red too.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { benchmarkLabel, type FleetAggregate } from '../aggregate.js';
import { sealTradeOff } from '../trade-offs.js';

export function formatJunit(fleet: FleetAggregate): string {
  const staleKey = (s: { environment: string; cluster: string; node: string; type: string; level: number }) => [s.environment, s.cluster, s.node, s.type, s.level].join('\u0000');
  const staleSet = new Set(fleet.stale.map(staleKey));
  const suites = fleet.nodes.flatMap((node) =>
    node.latest.map((report) => {
      const name = `${node.cluster}/${node.node} ${benchmarkLabel(report)}`;
      const stale = staleSet.has(staleKey({ ...node, type: report.type, level: report.level }));
      const cases = report.checks.map((check) => ({
        '@_name': `${check.id} ${check.title}`,
        '@_classname': name,
        ...(check.status === 'FAIL' ? { failure: { '@_message': check.error || 'check failed', '@_type': 'FAIL', '#text': sealTradeOff(report.type, check.id) ?? '' } } : {}),
        ...(check.status === 'SKIP' ? { skipped: { '@_message': check.error || `${check.mode} check` } } : {}),
      }));
      const freshness = {
        '@_name': 'evidence-freshness',
        '@_classname': name,
        ...(stale ? { failure: { '@_message': `last report ${report.timestamp} is older than ${fleet.window.staleBefore}`, '@_type': 'STALE' } } : {}),
      };
      return {
        '@_name': name,
        '@_timestamp': report.timestamp,
        '@_tests': cases.length + 1,
        '@_failures': report.counts.failed + (stale ? 1 : 0),
        '@_skipped': report.counts.skipped,
        '@_errors': 0,
        properties: {
          property: [
            { '@_name': 'source', '@_value': report.source },
            { '@_name': 'environment', '@_value': node.environment },
            ...(node.instanceId ? [{ '@_name': 'instance-id', '@_value': node.instanceId }] : []),
            ...(node.bottlerocketVersion ? [{ '@_name': 'bottlerocket-version', '@_value': node.bottlerocketVersion }] : []),
          ],
        },
        testcase: [...cases, freshness],
      };
    }),
  );
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  const tests = suites.reduce((n, s) => n + s['@_tests'], 0);
  const failures = suites.reduce((n, s) => n + s['@_failures'], 0);
  const skipped = suites.reduce((n, s) => n + s['@_skipped'], 0);
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'CIS benchmarks', '@_tests': tests, '@_failures': failures, '@_skipped': skipped, '@_errors': 0, testsuite: suites },
  }) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
