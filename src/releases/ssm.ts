/**
 * The newest Bottlerocket release per variant, from Amazon's public SSM parameters. It talks to AWS
 * only when a `releases` command runs (as `eks-addons.ts` does, for `bump --lookup-addons`). The client uses the
 * SDK's standard credential chain and endpoint settings (`AWS_ENDPOINT_URL_SSM`,
 * `AWS_ENDPOINT_URL`, profiles), so GovCloud, VPC endpoints and test servers need no flags.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig, describeAwsError } from '../common/aws-client.js';
import { UserInputError } from '../common/errors.js';
import { RELEASE_VERSION_PATTERN } from '../config/index.js';
import { formatVariant, latestReleaseParameter, type Variant } from './variant.js';

/** GetParameters takes at most 10 names per call. */
const MAX_NAMES_PER_CALL = 10;

export interface PublishedRelease {
  readonly variant: string;
  readonly parameter: string;
  readonly version: string;
  /** When Amazon last changed the parameter, i.e. published this release for the variant. */
  readonly published?: Date;
}

export type SsmClientFactory = (region: string) => SSMClient | Promise<SSMClient>;

// The SDK is loaded on use: only `releases` commands that ask for live data pay for it. Timeouts,
// retries and the response cap come from the shared factory (src/common/aws-client.ts).
export const defaultSsmClient: SsmClientFactory = async (region) => new (await import('@aws-sdk/client-ssm')).SSMClient(awsClientConfig({ region }));

/** Look up the latest release of each variant in `region`. Keyed by `formatVariant`. */
export async function latestReleases(region: string, variants: readonly Variant[], clientFor: SsmClientFactory = defaultSsmClient): Promise<Map<string, PublishedRelease>> {
  const byParameter = new Map(variants.map((variant) => [latestReleaseParameter(variant), formatVariant(variant)]));
  const names = [...byParameter.keys()];
  const { GetParametersCommand } = await import('@aws-sdk/client-ssm');
  const client = await clientFor(region);
  const found = new Map<string, PublishedRelease>();
  try {
    for (let start = 0; start < names.length; start += MAX_NAMES_PER_CALL) {
      const output = await client.send(new GetParametersCommand({ Names: names.slice(start, start + MAX_NAMES_PER_CALL) }));
      for (const parameter of output.Parameters ?? []) {
        const variant = byParameter.get(parameter.Name ?? '');
        if (variant === undefined || parameter.Name === undefined) continue;
        found.set(variant, { variant, parameter: parameter.Name, version: releaseValue(parameter.Name, parameter.Value), published: parameter.LastModifiedDate });
      }
    }
  } catch (error) {
    throw lookupError(region, error);
  } finally {
    client.destroy();
  }
  // SSM lists unknown names under InvalidParameters; anything not returned is equally missing.
  const missing = [...byParameter].filter(([, variant]) => !found.has(variant)).map(([name]) => name);
  if (missing.length > 0) {
    const list = missing.map((name) => `${byParameter.get(name) ?? name} (${name})`).join(', ');
    throw new UserInputError(`no Bottlerocket release is published in ${region} for variant ${list}; check the environment's kubernetesVersion, and the node group's fips and architecture`);
  }
  return found;
}

function releaseValue(name: string, value: string | undefined): string {
  if (value !== undefined && RELEASE_VERSION_PATTERN.test(value)) return value;
  throw new UserInputError(`SSM parameter ${name} holds ${JSON.stringify(value)}, not a release version such as 1.47.0-6154605b`);
}

/** One line the user can act on instead of an SDK stack trace. */
function lookupError(region: string, error: unknown): UserInputError {
  const { name } = error as Error;
  if (name === 'CredentialsProviderError') {
    return new UserInputError(
      `no AWS credentials: reading the public Bottlerocket SSM parameters in ${region} needs any signed-in identity (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or assume a role)`,
      { cause: error },
    );
  }
  return new UserInputError(`SSM GetParameters in ${region} failed: ${describeAwsError(error)}`, { cause: error });
}
