/** `--format json`: the aggregate with each node's latest reports reduced to status and counts (no per-check detail; the evidence files hold it). */
import type { FleetAggregate } from '../aggregate.js';

export function formatJson(fleet: FleetAggregate): string {
  const nodes = fleet.nodes.map(({ latest, ...node }) => ({
    ...node,
    reports: latest.map((r) => ({ type: r.type, level: r.level, status: r.status, timestamp: r.timestamp, counts: r.counts, source: r.source })),
  }));
  return `${JSON.stringify({ ...fleet, nodes }, null, 2)}\n`;
}
