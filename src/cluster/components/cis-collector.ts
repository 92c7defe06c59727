/**
 * The CIS collector: a DaemonSet running `bottlerocket-eks cis collect --loop` on every
 * Bottlerocket node (see README "CIS evidence" for why a DaemonSet). Least privilege: the API
 * socket is its only host access (hostPath of type Socket, mounted read-only: connecting to a
 * socket needs no writable mount), SELinux type control_t (the least label Bottlerocket lets reach
 * the API; super_t would also open every host file), non-root with the socket's group, read-only
 * root filesystem, no capabilities, RuntimeDefault seccomp. Its PolicyException
 * (src/policies/exceptions/cis-collector.yaml) grants exactly the three ADR policies this breaks.
 */
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import { UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../common/names.js';
import type { EnvironmentModel } from '../../config/index.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from '../component.js';
import { imageReference, parseImageReference, type PinnedImage } from '../images.js';
import { validated } from '../typed-objects.js';
import { tolerateNodeGroupTaints } from './tolerations.js';
import { fipsEndpointEnv } from './fips-endpoints.js';

export const CIS_COLLECTOR = 'cis-collector';
/** The image repository's name; the PolicyException matches it (the resolve pass refuses any other). */
export { CIS_COLLECTOR_REPOSITORY } from '../../config/index.js';
/**
 * Bottlerocket's apiserver creates /run/api.sock mode 0660, group `api` (GID 274,
 * `apiserver --socket-gid 274`); joining that group lets a non-root process connect.
 */
export const API_SOCKET_GID = 274;
/** The image's non-root `node` user (node:20-bookworm-slim). */
const RUN_AS_USER = 1000;

const LABELS = { 'app.kubernetes.io/name': CIS_COLLECTOR, 'app.kubernetes.io/part-of': 'bottlerocket-eks' };

/** The collector image as configured (`cis.image`). */
export function collectorImage(env: Pick<EnvironmentModel, 'cis'>): PinnedImage {
  return parseImageReference(env.cis.image);
}

/** Where nodes pull the collector from: `cis.image`, or its repository under `mirror.registry`. */
export function collectorReference(env: Pick<EnvironmentModel, 'cis' | 'mirror'>): string {
  const mirror = env.mirror?.registry;
  if (mirror === undefined || env.cis.image.startsWith(`${mirror}/`)) return env.cis.image;
  return imageReference(collectorImage(env), mirror);
}

export function cisCollectorComponent({ env }: RenderContext): ClusterComponent {
  const { namespace, serviceAccount } = WORKLOADS.cisCollector;
  const daemonSet = new DaemonSet({
    metadata: { name: CIS_COLLECTOR, namespace, labels: LABELS },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': CIS_COLLECTOR } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: serviceAccount,
          // Only Bottlerocket nodes have the API socket; the managed node groups carry this label.
          nodeSelector: { 'kubernetes.io/os': 'linux', [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value },
          tolerations: tolerateNodeGroupTaints(env) as IToleration[],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            supplementalGroups: [API_SOCKET_GID],
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'collector',
              image: collectorReference(env),
              args: ['cis', 'collect', '--loop'],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'CLUSTER_NAME', value: env.clusterName },
                { name: 'CIS_EVIDENCE_BUCKET', value: env.evidenceBucketName },
                { name: 'CIS_KUBERNETES_LEVELS', value: env.cis.kubernetesLevels.join(',') },
                { name: 'CIS_INTERVAL_HOURS', value: String(env.cis.intervalHours) },
                { name: 'AWS_REGION', value: env.region },
                ...fipsEndpointEnv(env),
                { name: 'BOTTLEROCKET_API_SOCKET', value: '/run/api.sock' },
              ],
              securityContext: {
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seLinuxOptions: { type: 'control_t' },
              },
              // Measured: ~190 MB RSS after start (the CLI loads every command's modules, CDK included).
              resources: { requests: { cpu: '10m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
              volumeMounts: [{ name: 'api-socket', mountPath: '/run/api.sock', readOnly: true }],
            },
          ],
          volumes: [{ name: 'api-socket', hostPath: { path: '/run/api.sock', type: 'Socket' } }],
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  });
  return {
    name: CIS_COLLECTOR,
    dependsOn: [],
    // hostPath and the control_t label are beyond PSA baseline; the ADR policies and the
    // collector's PolicyException are the fine-grained guard.
    namespace: { name: namespace, podSecurity: 'privileged' },
    charts: [],
    manifests: [
      validated(new ServiceAccount({ metadata: { name: serviceAccount, namespace, labels: LABELS } })),
      // Read the node's providerID for the instance id; get on nodes only (RBAC cannot narrow to "my node").
      validated(new ClusterRole({ metadata: { name: `${CIS_COLLECTOR}-read-nodes`, labels: LABELS }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] })),
      validated(
        new ClusterRoleBinding({
          metadata: { name: `${CIS_COLLECTOR}-read-nodes`, labels: LABELS },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${CIS_COLLECTOR}-read-nodes` },
          subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
        }),
      ),
      validated(daemonSet),
    ],
    awsIdentities: [WORKLOADS.cisCollector],
    images: [collectorImage(env)],
  };
}
