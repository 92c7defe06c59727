/**
 * Kyverno, the admission engine for the ADR policy set. Policy exceptions are on, but only
 * honoured in Kyverno's own namespace, so a team cannot exempt itself from its own namespace.
 */
import { WORKLOADS } from '../../common/names.js';
import type { ClusterComponent } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { CHARTS } from '../versions.js';

export const KYVERNO = 'kyverno';

export function kyvernoComponent(): ClusterComponent {
  const namespace = WORKLOADS.kyverno.namespace;
  return {
    name: KYVERNO,
    dependsOn: [],
    // Every Kyverno pod drops all capabilities, runs as non-root with a RuntimeDefault profile.
    namespace: { name: namespace, podSecurity: 'restricted' },
    charts: [helmChart(CHARTS.kyverno, 'kyverno', { features: { policyExceptions: { enabled: true, namespace } } })],
    manifests: [],
  };
}
