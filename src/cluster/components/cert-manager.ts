/**
 * cert-manager: brupop's API server and agents talk over TLS certificates that cert-manager issues.
 */
import { WORKLOADS } from '../../common/names.js';
import type { ClusterComponent, RenderContext } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { IMAGES, repositoryTagDigest } from '../images.js';
import { CHARTS } from '../versions.js';

export const CERT_MANAGER = 'cert-manager';

export function certManagerComponent({ env }: RenderContext): ClusterComponent {
  const image = (key: keyof typeof IMAGES) => ({ image: repositoryTagDigest(IMAGES[key], env.mirror?.registry) });
  return {
    name: CERT_MANAGER,
    dependsOn: [],
    // Every cert-manager pod runs as non-root with a RuntimeDefault seccomp profile and no capabilities.
    namespace: { name: WORKLOADS.certManager.namespace, podSecurity: 'restricted' },
    charts: [
      helmChart(CHARTS.certManager, 'cert-manager', {
        // The chart owns its CRDs so upgrades keep them in step with the controllers.
        crds: { enabled: true },
        ...image('certManagerController'),
        cainjector: image('certManagerCainjector'),
        webhook: image('certManagerWebhook'),
        startupapicheck: image('certManagerStartupApiCheck'),
        // The controller starts HTTP-01 solver pods with this image (`--acme-http01-solver-image`).
        acmesolver: image('certManagerAcmeSolver'),
      }),
    ],
    manifests: [],
    images: [IMAGES.certManagerController, IMAGES.certManagerCainjector, IMAGES.certManagerWebhook, IMAGES.certManagerStartupApiCheck, IMAGES.certManagerAcmeSolver],
  };
}
