/**
 * The Amazon ECR registries Amazon EKS pulls its add-on images from (VPC CNI, kube-proxy, CoreDNS,
 * EBS CSI driver, Pod Identity agent), one per region: the exceptions of those add-ons grant only images from here.
 *
 * Source: Amazon EKS User Guide, "View Amazon container image registries for Amazon EKS add-ons"
 * (docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html; awsdocs/amazon-eks-user-guide
 * `latest/ug/workloads/add-ons-images.adoc` at 1cc6ebb4a163f7f42689fdb6860cc4e93a03d24e), with
 * ap-southeast-5 from the same page as docs.amazonaws.cn serves it. That page gives ap-east-2's
 * registry host as `…dkr.ecr.ap-east-1…`; the EKS Pod Identity agent's registry table of the same
 * guide names `533267051163.dkr.ecr.ap-east-2.amazonaws.com`, so the host follows the region here
 * too. The page's `eusc-de-east-1` (European Sovereign Cloud) is left out: the project's region
 * table does not know that partition.
 */
import { escapeRegex } from '../common/regex.js';

/** The account that owns the add-on registry of each region. */
export const EKS_ADDON_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-east-2': '533267051163',
  'ap-northeast-1': '602401143452',
  'ap-northeast-2': '602401143452',
  'ap-northeast-3': '602401143452',
  'ap-south-1': '602401143452',
  'ap-south-2': '900889452093',
  'ap-southeast-1': '602401143452',
  'ap-southeast-2': '602401143452',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'ap-southeast-5': '151610086707',
  'ap-southeast-6': '333609536671',
  'ap-southeast-7': '121268973566',
  'ca-central-1': '602401143452',
  'ca-west-1': '761377655185',
  'cn-north-1': '918309763551',
  'cn-northwest-1': '961992271922',
  'eu-central-1': '602401143452',
  'eu-central-2': '900612956339',
  'eu-north-1': '602401143452',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'eu-west-1': '602401143452',
  'eu-west-2': '602401143452',
  'eu-west-3': '602401143452',
  'il-central-1': '066635153087',
  'me-central-1': '759879836304',
  'me-south-1': '558608220178',
  'mx-central-1': '730335286997',
  'sa-east-1': '602401143452',
  'us-east-1': '602401143452',
  'us-east-2': '602401143452',
  'us-gov-east-1': '151742754352',
  'us-gov-west-1': '013241004608',
  'us-west-1': '602401143452',
  'us-west-2': '602401143452',
};

/** `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China), or undefined for a region the guide does not list. */
export function eksAddonRegistry(region: string): string | undefined {
  const account = EKS_ADDON_ACCOUNTS[region];
  if (account === undefined) return undefined;
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/**
 * The regex the add-on exceptions' YAML uses for "an EKS add-on registry": any listed account in
 * any region. The cluster layer narrows it to the one registry of the environment's region
 * (`eksAddonRegistry`); offline `policy test` runs the YAML as written.
 */
export const EKS_ADDON_REGISTRY_PATTERN = `(${[...new Set(Object.values(EKS_ADDON_ACCOUNTS))].sort().join('|')})\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?`;

/** The regex of exactly the add-on registry of `region`, or undefined when the guide lists none. */
export function eksAddonRegistryPattern(region: string): string | undefined {
  const registry = eksAddonRegistry(region);
  return registry === undefined ? undefined : escapeRegex(registry);
}
