/**
 * Versions of the EKS managed add-ons the platform installs, per Kubernetes minor version, as
 * facts with the source each was read from: what `releases bump --kubernetes-version` moves an
 * environment's add-on pins to when no `--addon <name>=<version>` says otherwise.
 *
 * Each is the version the Amazon EKS User Guide listed as "the latest version of the Amazon EKS
 * add-on type for each Kubernetes version" in the stored copy of its page named in `source`. The
 * guide keeps such a table for kube-proxy, CoreDNS and the VPC CNI only; the EBS CSI driver and
 * the Pod Identity agent have none, and for some minors no stored copy lists a version. Those are
 * absent here, never guessed: a bump then needs `--addon`, or reads the versions from EKS itself
 * (`DescribeAddonVersions`, which `aws eks describe-addon-versions --addon-name <name>
 * --kubernetes-version <minor>` prints). A later guide lists newer builds; any listed build exists.
 */
import type { ManagedAddonName } from '../config/index.js';

export interface AddonVersionFact {
  readonly version: string;
  readonly source: string;
}

const KUBE_PROXY_GUIDE =
  'https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html ("kube-proxy versions"; stored copy listing 1.28-1.34, its 1.33 and 1.34 rows as in the copy at https://docs.amazonaws.cn/eks/latest/userguide/managing-kube-proxy.html)';
const KUBE_PROXY_GUIDE_1_35 = 'https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-kube-proxy.md ("kube-proxy versions"; a later stored copy listing 1.30-1.35)';
const COREDNS_GUIDE = 'https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html ("CoreDNS versions"; stored copy listing 1.28-1.34)';
const VPC_CNI_GUIDE =
  'https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/pod-networking.html ("Amazon VPC CNI versions" of the user guide, Japanese edition; stored copy listing 1.27-1.33, all v1.20.1-eksbuild.3)';

const fact = (version: string, source: string): AddonVersionFact => ({ version, source });

/** Add-on → Kubernetes minor → version. */
export const EKS_ADDON_VERSIONS: Readonly<Record<ManagedAddonName, Readonly<Record<string, AddonVersionFact>>>> = {
  'kube-proxy': {
    '1.35': fact('v1.35.3-eksbuild.2', KUBE_PROXY_GUIDE_1_35),
    '1.34': fact('v1.34.1-eksbuild.2', KUBE_PROXY_GUIDE),
    '1.33': fact('v1.33.5-eksbuild.2', KUBE_PROXY_GUIDE),
    '1.32': fact('v1.32.9-eksbuild.2', KUBE_PROXY_GUIDE),
    '1.31': fact('v1.31.13-eksbuild.2', KUBE_PROXY_GUIDE),
    '1.30': fact('v1.30.14-eksbuild.8', KUBE_PROXY_GUIDE),
    '1.29': fact('v1.29.15-eksbuild.16', KUBE_PROXY_GUIDE),
    '1.28': fact('v1.28.15-eksbuild.31', KUBE_PROXY_GUIDE),
  },
  coredns: {
    '1.34': fact('v1.12.4-eksbuild.1', COREDNS_GUIDE),
    '1.33': fact('v1.12.4-eksbuild.1', COREDNS_GUIDE),
    '1.32': fact('v1.11.4-eksbuild.24', COREDNS_GUIDE),
    '1.31': fact('v1.11.4-eksbuild.24', COREDNS_GUIDE),
    '1.30': fact('v1.11.4-eksbuild.24', COREDNS_GUIDE),
    '1.29': fact('v1.11.4-eksbuild.24', COREDNS_GUIDE),
    '1.28': fact('v1.10.1-eksbuild.38', COREDNS_GUIDE),
  },
  'vpc-cni': {
    '1.33': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.32': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.31': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.30': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.29': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.28': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
    '1.27': fact('v1.20.1-eksbuild.3', VPC_CNI_GUIDE),
  },
  'aws-ebs-csi-driver': {},
  'eks-pod-identity-agent': {},
};

export function knownAddonVersion(addon: ManagedAddonName, kubernetesVersion: string): AddonVersionFact | undefined {
  return EKS_ADDON_VERSIONS[addon][kubernetesVersion];
}
