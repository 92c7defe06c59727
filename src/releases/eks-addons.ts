/**
 * EKS's own answer to "which version of this add-on for this Kubernetes version":
 * `DescribeAddonVersions` (what `aws eks describe-addon-versions --addon-name <name>
 * --kubernetes-version <minor>` prints), read only by `releases bump --lookup-addons`. The version
 * taken is the one EKS marks `defaultVersion` for that cluster version: the one EKS would install.
 * Like the SSM lookup, the client comes from the shared factory (timeouts, bounded retries, a
 * response cap) with the SDK's standard credential chain and endpoint settings
 * (`AWS_ENDPOINT_URL_EKS` works), and errors become one-line `UserInputError`s.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { awsClientConfig, describeAwsError } from '../common/aws-client.js';
import { UserInputError } from '../common/errors.js';
import { ADDON_VERSION_PATTERN, type ManagedAddonName } from '../config/index.js';

export type EksClientFactory = (region: string) => EKSClient | Promise<EKSClient>;

// Loaded on use: only a bump that asks EKS pays for the SDK client.
export const defaultEksClient: EksClientFactory = async (region) => new (await import('@aws-sdk/client-eks')).EKSClient(awsClientConfig({ region }));

/** The default version of each add-on for `kubernetesVersion` in `region`; an add-on EKS names no default for is an error. */
export async function defaultAddonVersions(
  region: string,
  kubernetesVersion: string,
  addons: readonly ManagedAddonName[],
  clientFor: EksClientFactory = defaultEksClient,
): Promise<Partial<Record<ManagedAddonName, string>>> {
  if (addons.length === 0) return {};
  const { DescribeAddonVersionsCommand } = await import('@aws-sdk/client-eks');
  const client = await clientFor(region);
  const found: Partial<Record<ManagedAddonName, string>> = {};
  try {
    for (const addon of addons) {
      let nextToken: string | undefined;
      do {
        const output = await client.send(new DescribeAddonVersionsCommand({ addonName: addon, kubernetesVersion, ...(nextToken === undefined ? {} : { nextToken }) }));
        for (const info of output.addons ?? []) {
          if (info.addonName !== addon) continue;
          const chosen = (info.addonVersions ?? []).find((version) => version.compatibilities?.some((compatibility) => compatibility.clusterVersion === kubernetesVersion && compatibility.defaultVersion === true));
          if (chosen?.addonVersion !== undefined && found[addon] === undefined) found[addon] = checked(addon, chosen.addonVersion);
        }
        nextToken = output.nextToken;
      } while (nextToken !== undefined && found[addon] === undefined);
    }
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw lookupError(region, error);
  } finally {
    client.destroy();
  }
  const missing = addons.filter((addon) => found[addon] === undefined);
  if (missing.length > 0) {
    throw new UserInputError(`EKS in ${region} names no default version of ${missing.join(', ')} for Kubernetes ${kubernetesVersion}; pass --addon <name>=<version> instead`);
  }
  return found;
}

function checked(addon: string, version: string): string {
  if (ADDON_VERSION_PATTERN.test(version)) return version;
  throw new UserInputError(`EKS DescribeAddonVersions returned ${JSON.stringify(version)} for ${addon}, not an add-on version such as v1.20.1-eksbuild.3`);
}

function lookupError(region: string, error: unknown): UserInputError {
  if ((error as Error).name === 'CredentialsProviderError') {
    return new UserInputError(`no AWS credentials: EKS DescribeAddonVersions in ${region} needs a signed-in identity with eks:DescribeAddonVersions (set AWS_PROFILE or assume a role)`, { cause: error });
  }
  return new UserInputError(`EKS DescribeAddonVersions in ${region} failed: ${describeAwsError(error)}`, { cause: error });
}
