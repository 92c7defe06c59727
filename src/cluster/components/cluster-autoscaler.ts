/**
 * The Cluster Autoscaler (official chart), which resizes the managed node groups between their
 * minSize and maxSize: the seal stays intact, since it only changes an Auto Scaling group's
 * desired capacity and EKS launches the nodes from its own AMI and launch template.
 *
 * - Discovery: the Auto Scaling groups carrying both `k8s.io/cluster-autoscaler/enabled` and
 *   `k8s.io/cluster-autoscaler/<cluster>`, which EKS puts on the group of every managed node group.
 * - AWS access: EKS Pod Identity for WORKLOADS.clusterAutoscaler; the AWS layer's role may resize
 *   only groups tagged `owned` for this cluster and read only this cluster's node groups.
 * - Scale from zero: with `eks:DescribeNodegroup` the AWS provider reads an empty group's labels
 *   and taints from EKS (the resolve pass refuses what it would misread), and its resources from
 *   the node group's `node-template/resources/*` tags (src/infra/nodegroup.ts).
 * - Image: the release of the cluster's Kubernetes minor (`CLUSTER_AUTOSCALER_IMAGES`), not the
 *   chart's default.
 * - Its own namespace at Pod Security `restricted`: non-root (the image's distroless `nonroot`
 *   user), RuntimeDefault seccomp, no capabilities, read-only root file system, so it passes
 *   every ADR policy without an exception.
 */
import { WORKLOADS } from '../../common/names.js';
import { discoveryTagKeys, isAutoscaledKubernetesVersion } from '../../common/cluster-autoscaler.js';
import type { ClusterComponent, RenderContext } from '../component.js';
import { helmChart } from '../helm-chart.js';
import { CLUSTER_AUTOSCALER_IMAGES, imageRegistry, pinnedTag } from '../images.js';
import { CHARTS } from '../versions.js';
import { fipsEndpointEnv } from './fips-endpoints.js';

export const CLUSTER_AUTOSCALER = 'cluster-autoscaler';

/** `gcr.io/distroless/static:nonroot`, the image's base (cluster-autoscaler/Dockerfile), runs as 65532. */
const NONROOT = 65532;

export function clusterAutoscalerComponent({ env }: RenderContext): ClusterComponent | undefined {
  if (!env.clusterAutoscaler.enabled) return undefined;
  // The resolve pass refuses an enabled autoscaler on another minor; this guards direct callers.
  if (!isAutoscaledKubernetesVersion(env.kubernetesVersion)) throw new Error(`no Cluster Autoscaler release for Kubernetes ${env.kubernetesVersion}`);
  const image = CLUSTER_AUTOSCALER_IMAGES[env.kubernetesVersion];
  const { namespace, serviceAccount } = WORKLOADS.clusterAutoscaler;
  const extraEnv = fipsEndpointEnv(env);
  return {
    name: CLUSTER_AUTOSCALER,
    dependsOn: [],
    namespace: { name: namespace, podSecurity: 'restricted' },
    charts: [
      helmChart(CHARTS.clusterAutoscaler, CLUSTER_AUTOSCALER, {
        // Names the objects `cluster-autoscaler` instead of `<release>-aws-cluster-autoscaler`.
        fullnameOverride: CLUSTER_AUTOSCALER,
        cloudProvider: 'aws',
        awsRegion: env.region,
        autoDiscovery: { clusterName: env.clusterName, tags: [...discoveryTagKeys(env.clusterName)] },
        // The chart joins `repository:tag`; the digest rides on the tag.
        image: { repository: `${imageRegistry(image, env.mirror?.registry)}/${image.repository}`, tag: pinnedTag(image) },
        rbac: { serviceAccount: { create: true, name: serviceAccount } },
        extraArgs: {
          expander: env.clusterAutoscaler.expander,
          // Node groups that differ only in zone or name share the load instead of one filling first.
          'balance-similar-node-groups': true,
          // emptyDir is scratch space: a node whose pods use one may still be emptied and removed
          // (as the autoscaler's own AWS example sets). kube-system pods other than DaemonSets still
          // keep their node (the default `skip-nodes-with-system-pods`).
          'skip-nodes-with-local-storage': false,
        },
        // The AWS SDK in the image reads it (aws-sdk-go in 1.33, aws-sdk-go-v2 from 1.35).
        ...(extraEnv.length > 0 ? { extraEnv: Object.fromEntries(extraEnv.map(({ name, value }) => [name, value])) } : {}),
        // The autoscaler never evicts itself when it empties a node.
        podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
        // The autoscaler's AWS example (cloudprovider/aws/examples).
        resources: { requests: { cpu: '100m', memory: '600Mi' }, limits: { memory: '600Mi' } },
        securityContext: { runAsNonRoot: true, runAsUser: NONROOT, runAsGroup: NONROOT, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      }),
    ],
    manifests: [],
    images: [image],
    awsIdentities: [WORKLOADS.clusterAutoscaler],
  };
}
