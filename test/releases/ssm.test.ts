import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { latestReleases } from '../../src/releases/index.js';
import type { Variant } from '../../src/releases/variant.js';
import { PARAMETER, sdkEnvironmentFor, startFakeSsm, type FakeSsm } from '../support/fake-ssm.js';

const published = new Date('2026-11-20T17:00:00Z');
let ssm: FakeSsm;

beforeAll(async () => {
  ssm = await startFakeSsm({
    [PARAMETER.dev]: { value: '1.48.0-0a1b2c3d', lastModified: published },
    [PARAMETER.fipsX86]: { value: '1.47.0-6154605b' },
  });
});
afterAll(() => ssm.close());

beforeEach(() => {
  ssm.requests.length = 0;
  ssm.throttleNext = 0;
  for (const [name, value] of Object.entries(sdkEnvironmentFor(ssm.url))) vi.stubEnv(name, value);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
});
afterEach(() => vi.unstubAllEnvs());

const x86: Variant = { name: 'aws-k8s-1.33', architecture: 'x86_64' };
const fipsX86: Variant = { name: 'aws-k8s-1.33-fips', architecture: 'x86_64' };

describe('latestReleases against a loopback SSM endpoint (real AWS SDK v3)', () => {
  test('GIVEN AWS_ENDPOINT_URL_SSM WHEN looking up a GovCloud variant THEN the SDK signs for us-gov-west-1 and speaks the JSON protocol', async () => {
    const releases = await latestReleases('us-gov-west-1', [x86, fipsX86]);

    expect(releases.get('aws-k8s-1.33/x86_64')).toEqual({
      variant: 'aws-k8s-1.33/x86_64',
      parameter: PARAMETER.dev,
      version: '1.48.0-0a1b2c3d',
      published,
    });
    expect(releases.get('aws-k8s-1.33-fips/x86_64')?.version).toBe('1.47.0-6154605b');
    expect(ssm.requests).toHaveLength(1);
    const [request] = ssm.requests;
    expect(request?.target).toBe('AmazonSSM.GetParameters');
    expect(request?.contentType).toBe('application/x-amz-json-1.1');
    expect(request?.authorization).toMatch(/Credential=AKIDFAKEFORTESTS0000\/\d{8}\/us-gov-west-1\/ssm\/aws4_request/);
    expect(request?.names).toEqual([PARAMETER.dev, PARAMETER.fipsX86]);
  });

  test('GIVEN more than ten variants THEN GetParameters is called in batches of at most ten', async () => {
    const variants: Variant[] = Array.from({ length: 12 }, (_, index) => ({ name: `aws-k8s-1.${20 + index}`, architecture: 'arm64' }));
    for (const variant of variants) ssm.parameters.set(`/aws/service/bottlerocket/${variant.name}/arm64/latest/image_version`, { value: '1.47.0-6154605b' });

    const releases = await latestReleases('us-east-1', variants);

    expect(releases.size).toBe(12);
    expect(ssm.requests.map((request) => request.names.length)).toEqual([10, 2]);
  });

  test('GIVEN a variant Amazon does not publish THEN a UserInputError names the variant and its parameter', async () => {
    const missing: Variant = { name: 'aws-k8s-1.99-fips', architecture: 'arm64' };
    const error = await latestReleases('us-gov-west-1', [x86, missing]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(
      /no Bottlerocket release is published in us-gov-west-1 for variant aws-k8s-1\.99-fips\/arm64 \(\/aws\/service\/bottlerocket\/aws-k8s-1\.99-fips\/arm64\/latest\/image_version\)/,
    );
  });

  test('GIVEN SSM throttles twice THEN the SDK retries and the lookup succeeds', async () => {
    ssm.throttleNext = 2;

    const releases = await latestReleases('us-gov-west-1', [x86]);

    expect(releases.get('aws-k8s-1.33/x86_64')?.version).toBe('1.48.0-0a1b2c3d');
    expect(ssm.requests).toHaveLength(3);
  });

  test('GIVEN SSM keeps throttling past the retry budget THEN the error is one clear line', async () => {
    ssm.throttleNext = 10;
    const clientFor = (region: string) => new SSMClient({ region, maxAttempts: 2 });

    const error = await latestReleases('us-gov-west-1', [x86], clientFor).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe('SSM GetParameters in us-gov-west-1 failed: ThrottlingException: Rate exceeded');
    expect(ssm.requests).toHaveLength(2);
  });

  test('GIVEN no credentials anywhere in the chain THEN the error says so in one line and nothing is sent', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);

    const error = await latestReleases('us-gov-west-1', [x86]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(/^no AWS credentials: reading the public Bottlerocket SSM parameters in us-gov-west-1 needs/);
    expect((error as Error).message).not.toContain('\n');
    expect(ssm.requests).toHaveLength(0);
  });

  test('GIVEN a parameter value that is not a release version THEN it is refused by name', async () => {
    ssm.parameters.set(PARAMETER.fipsArm, { value: '1.47.0' });

    await expect(latestReleases('us-gov-west-1', [{ name: 'aws-k8s-1.33-fips', architecture: 'arm64' }])).rejects.toThrow(
      /SSM parameter \/aws\/service\/bottlerocket\/aws-k8s-1\.33-fips\/arm64\/latest\/image_version holds "1\.47\.0", not a release version/,
    );
  });
});
