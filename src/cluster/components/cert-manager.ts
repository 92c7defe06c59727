/**
 * cert-manager: brupop's API server and agents talk over TLS certificates that cert-manager issues.
 */
import { WORKLOADS } from '../../common/names.js';
import type { ClusterComponent } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { CHARTS } from '../versions.js';

export const CERT_MANAGER = 'cert-manager';

export function certManagerComponent(): ClusterComponent {
  return {
    name: CERT_MANAGER,
    dependsOn: [],
    // Every cert-manager pod runs as non-root with a RuntimeDefault seccomp profile and no capabilities.
    namespace: { name: WORKLOADS.certManager.namespace, podSecurity: 'restricted' },
    // The chart owns its CRDs so upgrades keep them in step with the controllers.
    charts: [helmChart(CHARTS.certManager, 'cert-manager', { crds: { enabled: true } })],
    manifests: [],
  };
}
