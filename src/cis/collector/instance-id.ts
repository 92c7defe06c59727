/**
 * The node's EC2 instance id, from its Node object's `spec.providerID` (`aws:///<az>/i-...`),
 * read with the pod's service account (RBAC: get nodes). Pods cannot reach IMDS (hop limit 1,
 * ADR-15), and the kubelet set providerID from the instance itself, so this is the honest source.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export function instanceIdFromProviderId(providerId: string | undefined): string | undefined {
  return /^aws:\/\/\/[^/]+\/(i-[0-9a-f]+)$/.exec(providerId ?? '')?.[1];
}

/** The Kubernetes API answers a node read in milliseconds; past this the evidence records `null`. */
export const NODE_READ_TIMEOUT_MS = 10_000;

export async function instanceIdFromNode(nodeName: string, timeoutMs = NODE_READ_TIMEOUT_MS): Promise<string | undefined> {
  const config = new KubeConfig();
  config.loadFromCluster();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading Node ${nodeName} from the Kubernetes API: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const node = await Promise.race([config.makeApiClient(CoreV1Api).readNode({ name: nodeName }), timeout]);
    return instanceIdFromProviderId(node.spec?.providerID);
  } finally {
    clearTimeout(timer);
  }
}
