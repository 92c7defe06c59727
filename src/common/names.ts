/**
 * Fixed names both layers must agree on: the AWS layer binds IAM roles to these service accounts
 * through EKS Pod Identity; the cluster layer deploys workloads under the same names. One
 * source, so they cannot drift. Names derived from the config (cluster, stack, evidence bucket)
 * are part of the resolved model (src/config/model.ts).
 */

/** Label brupop selects nodes by; the managed node groups carry it from creation. */
export const UPDATER_INTERFACE_LABEL = { key: 'bottlerocket.aws/updater-interface-version', value: '2.0.0' } as const;

/** Key prefixes in the evidence bucket; each writer's role is scoped to its own prefix. */
export const EVIDENCE_PREFIX = { cis: 'cis/', falco: 'falco/' } as const;

export interface WorkloadIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Workloads that reach AWS through EKS Pod Identity, and the system components the policies know. */
export const WORKLOADS = {
  falcosidekick: { namespace: 'falco', serviceAccount: 'falco-falcosidekick' },
  falco: { namespace: 'falco', serviceAccount: 'falco' },
  cisCollector: { namespace: 'bottlerocket-cis', serviceAccount: 'cis-collector' },
  brupopAgent: { namespace: 'brupop-bottlerocket-aws', serviceAccount: 'brupop-agent-service-account' },
  kyverno: { namespace: 'kyverno', serviceAccount: 'kyverno-admission-controller' },
  certManager: { namespace: 'cert-manager', serviceAccount: 'cert-manager' },
  ebsCsiController: { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' },
  vpcCni: { namespace: 'kube-system', serviceAccount: 'aws-node' },
  clusterAutoscaler: { namespace: 'cluster-autoscaler', serviceAccount: 'cluster-autoscaler' },
} as const satisfies Record<string, WorkloadIdentity>;
