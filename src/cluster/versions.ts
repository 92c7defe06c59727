/**
 * Every chart the cluster layer installs, pinned to one exact version. Bumping a chart is a
 * one-line change here; the chart-keys test then says whether the values we rely on still exist,
 * and the conformance suite whether the chart still deploys exactly the images of `images.ts`.
 */
export interface ChartPin {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly chart: string;
  /** Exact chart version, never a range. */
  readonly version: string;
}

export const CHARTS = {
  // cert-manager v1.21.1 (github.com/cert-manager/cert-manager, tag v1.21.1).
  certManager: { repositoryName: 'jetstack', repositoryUrl: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
  // Bottlerocket update operator: CRD chart bottlerocket-shadow 1.0.0 (brupop v1.4.0 release).
  brupopShadow: {
    repositoryName: 'brupop',
    repositoryUrl: 'https://bottlerocket-os.github.io/bottlerocket-update-operator',
    chart: 'bottlerocket-shadow',
    version: '1.0.0',
  },
  // Bottlerocket update operator chart 1.4.0 (brupop release v1.4.0).
  brupopOperator: {
    repositoryName: 'brupop',
    repositoryUrl: 'https://bottlerocket-os.github.io/bottlerocket-update-operator',
    chart: 'bottlerocket-update-operator',
    version: '1.4.0',
  },
  // Falco chart 9.1.0 (falcosecurity/charts tag falco-9.1.0: Falco 0.44.1, falcosidekick subchart 0.12.1).
  // The subchart's values deploy falcosidekick 2.32.0 although its appVersion says 2.31.1; the
  // falco component pins the image to 2.31.1 (images.ts says why), so a chart bump must re-check it.
  falco: { repositoryName: 'falcosecurity', repositoryUrl: 'https://falcosecurity.github.io/charts', chart: 'falco', version: '9.1.0' },
  // Kyverno chart 3.9.0 (kyverno/kyverno tag v1.19.0).
  kyverno: { repositoryName: 'kyverno', repositoryUrl: 'https://kyverno.github.io/kyverno/', chart: 'kyverno', version: '3.9.0' },
  // Cluster Autoscaler chart 9.59.0 (kubernetes/autoscaler tag cluster-autoscaler-chart-9.59.0, appVersion 1.35.0);
  // the image follows the cluster's Kubernetes minor (images.ts), not the chart's appVersion.
  clusterAutoscaler: { repositoryName: 'autoscaler', repositoryUrl: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.59.0' },
} as const satisfies Record<string, ChartPin>;
