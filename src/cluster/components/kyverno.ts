/**
 * Kyverno, the admission engine for the ADR policy set. Policy exceptions are on, but only
 * honoured in Kyverno's own namespace, so a team cannot exempt itself from its own namespace.
 *
 * Kyverno evaluates `kube-system`: the chart's default resource filter `[*\/*,kube-system,*]` and
 * webhook exclusion of `kube-system` would hide every host-network pod there from admission and
 * background scans, make the system components' exceptions meaningless, and, with Enforce, let
 * anyone who can create pods in `kube-system` bypass every policy. Only Kyverno's own namespace
 * stays excluded (the chart's `excludeKyvernoNamespace`), so Kyverno can always restart itself.
 *
 * With Enforce, admission is a dependency of every pod creation: three replicas spread over nodes
 * and zones, and a disruption budget, so a brupop drain never takes the last one away.
 */
import { WORKLOADS } from '../../common/names.js';
import type { EnvironmentConfig } from '../../config/index.js';
import type { ClusterComponent, RenderContext } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { IMAGES, registryRepositoryTag } from '../images.js';
import { CHARTS } from '../versions.js';

export const KYVERNO = 'kyverno';
/** Admission replicas where policies deny (Enforce). */
export const ENFORCE_ADMISSION_REPLICAS = 3;

const ADMISSION_LABELS = { 'app.kubernetes.io/component': 'admission-controller', 'app.kubernetes.io/instance': 'kyverno' };

function highAvailability(env: Pick<EnvironmentConfig, 'policy'>): Record<string, unknown> {
  if (env.policy.mode !== 'Enforce') return {};
  const spread = (topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway') => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: ADMISSION_LABELS },
  });
  return {
    replicas: ENFORCE_ADMISSION_REPLICAS,
    // One replica at a time may go (drain, eviction); two keep answering admission requests.
    podDisruptionBudget: { enabled: true, minAvailable: ENFORCE_ADMISSION_REPLICAS - 1 },
    // Never two on one node; across zones as far as the nodes allow (a zone may have no node).
    topologySpreadConstraints: [spread('kubernetes.io/hostname', 'DoNotSchedule'), spread('topology.kubernetes.io/zone', 'ScheduleAnyway')],
  };
}

export function kyvernoComponent({ env }: RenderContext): ClusterComponent {
  const namespace = WORKLOADS.kyverno.namespace;
  const mirror = env.mirror?.registry;
  const image = (key: keyof typeof IMAGES) => ({ image: registryRepositoryTag(IMAGES[key], mirror) });
  return {
    name: KYVERNO,
    dependsOn: [],
    // Every Kyverno pod drops all capabilities, runs as non-root with a RuntimeDefault profile.
    namespace: { name: namespace, podSecurity: 'restricted' },
    charts: [
      helmChart(CHARTS.kyverno, 'kyverno', {
        features: { policyExceptions: { enabled: true, namespace } },
        config: {
          // Drops the default `[*/*,kube-system,*]` filter; the chart keeps `[*/*,kyverno,*]`.
          resourceFiltersExcludeNamespaces: ['kube-system'],
          // Replaces the default `NotIn [kube-system]`; the chart adds `NotIn [kyverno]` itself.
          webhooks: { namespaceSelector: { matchExpressions: [] } },
          excludeKyvernoNamespace: true,
        },
        admissionController: { initContainer: image('kyvernoPre'), container: image('kyverno'), ...highAvailability(env) },
        backgroundController: image('kyvernoBackgroundController'),
        cleanupController: image('kyvernoCleanupController'),
        reportsController: image('kyvernoReportsController'),
        crds: { migration: image('kyvernoCli') },
        webhooksCleanup: image('kyvernoReadinessChecker'),
        test: image('kyvernoReadinessChecker'),
      }),
    ],
    manifests: [],
    images: [
      IMAGES.kyvernoPre,
      IMAGES.kyverno,
      IMAGES.kyvernoBackgroundController,
      IMAGES.kyvernoCleanupController,
      IMAGES.kyvernoReportsController,
      IMAGES.kyvernoCli,
      IMAGES.kyvernoReadinessChecker,
    ],
  };
}
