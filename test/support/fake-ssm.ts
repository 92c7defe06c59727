/**
 * A loopback HTTP server speaking just enough of the SSM JSON protocol (awsJson1_1,
 * `X-Amz-Target: AmazonSSM.GetParameters`) for the real AWS SDK to talk to it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeParameter {
  readonly value: string;
  readonly lastModified?: Date;
}

export interface RecordedRequest {
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly names: readonly string[];
}

export interface FakeSsm {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Parameters served, by name; tests may change them between calls. */
  readonly parameters: Map<string, FakeParameter>;
  /** Answer this many next requests with ThrottlingException. */
  throttleNext: number;
  /** Hold every answer this long (a slow endpoint); requests are recorded on arrival. */
  delayMs: number;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSsm(parameters: Record<string, FakeParameter>): Promise<FakeSsm> {
  const fake: Omit<FakeSsm, 'url' | 'close'> = { requests: [], parameters: new Map(Object.entries(parameters)), throttleNext: 0, delayMs: 0 };
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await bodyOf(request)) || '{}') as { Names?: string[] };
    const target = request.headers['x-amz-target'] as string | undefined;
    fake.requests.push({ target, contentType: request.headers['content-type'], authorization: request.headers.authorization, names: body.Names ?? [] });
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(payload));
    };
    if (target !== 'AmazonSSM.GetParameters') return reply(400, { __type: 'UnknownOperationException', message: `unsupported ${target}` });
    if (fake.throttleNext > 0) {
      fake.throttleNext--;
      return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const names = body.Names ?? [];
    if (names.length > 10) return reply(400, { __type: 'ValidationException', message: 'Member must have length less than or equal to 10' });
    const known = names.filter((name) => fake.parameters.has(name));
    reply(200, {
      Parameters: known.map((name) => {
        const parameter = fake.parameters.get(name)!;
        return {
          Name: name,
          Type: 'String',
          Value: parameter.value,
          Version: 1,
          DataType: 'text',
          ARN: `arn:aws:ssm:us-gov-west-1::parameter${name}`,
          ...(parameter.lastModified ? { LastModifiedDate: parameter.lastModified.getTime() / 1000 } : {}),
        };
      }),
      InvalidParameters: names.filter((name) => !fake.parameters.has(name)),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Point the SDK's standard settings at the fake: endpoint, fake static keys, nothing from the machine. */
export function sdkEnvironmentFor(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSM: url,
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS0000',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-loopback-tests',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export const PARAMETER = {
  dev: '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_version',
  fipsX86: '/aws/service/bottlerocket/aws-k8s-1.33-fips/x86_64/latest/image_version',
  fipsArm: '/aws/service/bottlerocket/aws-k8s-1.33-fips/arm64/latest/image_version',
} as const;
