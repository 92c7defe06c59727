/**
 * The node's EC2 instance id, from its Node object's `spec.providerID` (`aws:///<az>/i-...`),
 * read with the pod's service account (RBAC: get nodes). Pods cannot reach IMDS (hop limit 1,
 * ADR-15), and the kubelet set providerID from the instance itself, so this is the honest source.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export function instanceIdFromProviderId(providerId: string | undefined): string | undefined {
  return /^aws:\/\/\/[^/]+\/(i-[0-9a-f]+)$/.exec(providerId ?? '')?.[1];
}

export async function instanceIdFromNode(nodeName: string): Promise<string | undefined> {
  const config = new KubeConfig();
  config.loadFromCluster();
  const node = await config.makeApiClient(CoreV1Api).readNode({ name: nodeName });
  return instanceIdFromProviderId(node.spec?.providerID);
}
