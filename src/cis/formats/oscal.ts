/**
 * `--format oscal`: an OSCAL assessment-results document. One observation per ingested report
 * (the evidence), one finding per CIS check across the fleet (satisfied only when at least one
 * node passed it and none failed; a check no node could assess automatically is not-satisfied,
 * reason `other`), each finding carrying the NIST 800-53 rev 5 controls from the mapping table,
 * plus one finding for evidence freshness. Declares OSCAL 1.2.0; the structure is checked
 * against NIST's published 1.0.6 JSON schema, whose required structure 1.2 kept (see test/cis).
 * UUIDs are name-based (v5), so the same evidence always yields the same ids.
 */
import { createHash } from 'node:crypto';
import { benchmarkLabel, type FleetAggregate } from '../aggregate.js';
import { BENCHMARK_LABELS, type CisReport } from '../model.js';
import { nistControlsFor, oscalControlId } from '../nist-800-53-mapping.js';

export const OSCAL_VERSION = '1.2.0';
/** Namespace of this project's OSCAL props (OSCAL requires one for non-OSCAL names). */
const PROP_NS = 'https://github.com/bottlerocket-eks/ns/oscal';
const UUID_NAMESPACE = Buffer.from('7d0c6a1e3f5b4c2a9e8d1b0a2c4e6f80', 'hex');

/** RFC 4122 name-based (SHA-1) UUID. */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(UUID_NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const prop = (name: string, value: string) => ({ name, ns: PROP_NS, value });
const reportId = (r: CisReport) => `${r.source}\u0000${r.timestamp}`;

export function formatOscal(fleet: FleetAggregate, reports: readonly CisReport[]): string {
  const runId = uuidV5(`run:${fleet.generatedAt}:${reports.map(reportId).join('\u0001')}`);
  const observationUuid = new Map(reports.map((r) => [reportId(r), uuidV5(`observation:${reportId(r)}`)]));
  const observations = reports.map((r) => ({
    uuid: observationUuid.get(reportId(r))!,
    title: `${benchmarkLabel(r)} on ${r.origin.cluster}/${r.origin.node}`,
    description: `${r.benchmark.name ?? BENCHMARK_LABELS[r.type]} ${r.benchmark.version ?? ''} level ${r.level}: ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped of ${r.counts.total}; overall ${r.status}.`,
    props: [
      prop('cluster', r.origin.cluster),
      prop('node', r.origin.node),
      ...(r.origin.environment ? [prop('environment', r.origin.environment)] : []),
      ...(r.origin.instanceId ? [prop('instance-id', r.origin.instanceId)] : []),
      ...(r.origin.bottlerocketVersion ? [prop('bottlerocket-version', r.origin.bottlerocketVersion)] : []),
      ...(r.origin.variant ? [prop('bottlerocket-variant', r.origin.variant)] : []),
      prop('cis-status', r.status),
      ...r.checks.filter((c) => c.status === 'FAIL').map((c) => prop('failed-check', c.id)),
    ],
    methods: ['TEST'],
    types: ['control-objective'],
    'relevant-evidence': [{ href: encodeURI(r.source), description: `CIS report as collected (${r.source}).` }],
    collected: r.timestamp,
  }));

  const latestObservations = (type: string, level: number, id: string) =>
    fleet.nodes.flatMap((n) => n.latest.filter((r) => r.type === type && r.level === level && r.checks.some((c) => c.id === id))).map((r) => ({ 'observation-uuid': observationUuid.get(reportId(r))! }));
  const failingNodes = new Map<string, string[]>();
  for (const f of fleet.failures) {
    const key = `${f.type}:${f.level}:${f.id}`;
    failingNodes.set(key, [...(failingNodes.get(key) ?? []), `${f.cluster}/${f.node}`]);
  }
  const controls = new Set<string>(['CA-7']);
  const findings = fleet.checks.map((c) => {
    const nist = nistControlsFor(c.type, c.id);
    nist.forEach((control) => controls.add(control));
    const satisfied = c.fail === 0 && c.pass > 0;
    const failing = failingNodes.get(`${c.type}:${c.level}:${c.id}`) ?? [];
    const related = latestObservations(c.type, c.level, c.id);
    const remarks = [
      failing.length > 0 ? `Failing nodes: ${failing.join(', ')}.` : '',
      c.fail === 0 && c.pass === 0 ? 'No node assessed this check automatically (manual check or skipped); see the benchmark for audit details.' : '',
      c.note ?? '',
    ].filter(Boolean);
    return {
      uuid: uuidV5(`finding:${runId}:${c.type}:${c.level}:${c.id}`),
      title: `${benchmarkLabel(c)} ${c.id} ${c.title}`,
      description: `Latest report per node: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped.`,
      props: [prop('cis-benchmark', BENCHMARK_LABELS[c.type]), prop('cis-level', String(c.level)), prop('cis-check-id', c.id), ...nist.map((n) => prop('nist-800-53-r5-control', n))],
      target: {
        type: 'objective-id',
        'target-id': `${BENCHMARK_LABELS[c.type]}_L${c.level}_${c.id}`,
        status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: satisfied ? 'pass' : c.fail > 0 ? 'fail' : 'other' },
      },
      ...(related.length > 0 ? { 'related-observations': related } : {}),
      ...(remarks.length > 0 ? { remarks: remarks.join('\n\n') } : {}),
    };
  });
  const freshness = {
    uuid: uuidV5(`finding:${runId}:evidence-freshness`),
    title: 'CIS evidence freshness',
    description: `Every node reports each benchmark within ${fleet.window.intervalHours}h + ${fleet.window.graceHours}h grace (reports before ${fleet.window.staleBefore} are stale).`,
    props: [prop('nist-800-53-r5-control', 'CA-7')],
    target: { type: 'objective-id', 'target-id': 'cis-evidence-freshness', status: { state: fleet.stale.length === 0 ? 'satisfied' : 'not-satisfied', reason: fleet.stale.length === 0 ? 'pass' : 'fail' } },
    ...(fleet.stale.length > 0
      ? { remarks: fleet.stale.map((s) => `${s.cluster}/${s.node} ${benchmarkLabel(s)}: ${s.lastReportAt ?? 'never reported'}`).join('\n') }
      : {}),
  };

  const times = reports.map((r) => r.timestamp).sort();
  const document = {
    'assessment-results': {
      uuid: runId,
      metadata: {
        title: 'Bottlerocket CIS benchmark evidence',
        'last-modified': fleet.generatedAt,
        version: fleet.generatedAt,
        'oscal-version': OSCAL_VERSION,
        remarks: 'Generated by `bottlerocket-eks cis report --format oscal` from the CIS reports each node wrote to the evidence bucket. CIS-to-NIST 800-53 rev 5 mapping: src/cis/nist-800-53-mapping.ts.',
      },
      'import-ap': {
        href: 'platform.yaml',
        remarks: 'No separate assessment plan document: the plan is the collection schedule in platform.yaml (cis.intervalHours, cis.kubernetesLevels) under ADR-15.',
      },
      results: [
        {
          uuid: uuidV5(`result:${runId}`),
          title: 'CIS Bottlerocket and Kubernetes worker-node benchmarks',
          description: `${reports.length} reports from ${fleet.nodes.length} nodes in ${fleet.clusters.length} clusters; overall ${fleet.status}.`,
          start: times[0] ?? fleet.generatedAt,
          end: fleet.generatedAt,
          'reviewed-controls': {
            'control-selections': [
              {
                description: 'NIST SP 800-53 rev 5 controls the CIS checks support (project mapping table).',
                'include-controls': [...controls].sort().map((c) => ({ 'control-id': oscalControlId(c) })),
              },
            ],
          },
          ...(observations.length > 0 ? { observations } : {}),
          findings: [...findings, freshness],
        },
      ],
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
