/**
 * A loopback HTTP server speaking just enough of the EKS REST-JSON protocol
 * (`GET /addons/supported-versions`, DescribeAddonVersions) for the real AWS SDK to talk to it.
 * The versions it serves are test data, deliberately unlike real ones (`v9.…`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One add-on version: the cluster versions it is compatible with, and those it is the default for. */
export interface FakeAddonVersion {
  readonly addonVersion: string;
  readonly clusterVersions: readonly string[];
  readonly defaultFor: readonly string[];
}

export interface FakeEksRequest {
  readonly path: string;
  readonly addonName: string | null;
  readonly kubernetesVersion: string | null;
  readonly nextToken: string | null;
  readonly authorization: string | undefined;
}

export interface FakeEks {
  readonly url: string;
  readonly requests: FakeEksRequest[];
  close(): Promise<void>;
}

/** Serves `versions` per add-on name, one version per page, so the client must follow `nextToken`. */
export async function startFakeEks(versions: Readonly<Record<string, readonly FakeAddonVersion[]>>): Promise<FakeEks> {
  const requests: FakeEksRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const addonName = url.searchParams.get('addonName');
    const kubernetesVersion = url.searchParams.get('kubernetesVersion');
    const nextToken = url.searchParams.get('nextToken');
    requests.push({ path: url.pathname, addonName, kubernetesVersion, nextToken, authorization: request.headers.authorization });
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (request.method !== 'GET' || url.pathname !== '/addons/supported-versions') return reply(404, { message: `unsupported ${request.method} ${url.pathname}` });
    const compatible = (versions[addonName ?? ''] ?? []).filter((version) => kubernetesVersion === null || version.clusterVersions.includes(kubernetesVersion));
    const page = Number(nextToken ?? '0');
    const version = compatible[page];
    reply(200, {
      addons:
        version === undefined
          ? []
          : [
              {
                addonName,
                type: 'networking',
                addonVersions: [
                  {
                    addonVersion: version.addonVersion,
                    architecture: ['amd64', 'arm64'],
                    compatibilities: version.clusterVersions.map((clusterVersion) => ({ clusterVersion, platformVersions: ['*'], defaultVersion: version.defaultFor.includes(clusterVersion) })),
                  },
                ],
              },
            ],
      ...(page + 1 < compatible.length ? { nextToken: String(page + 1) } : {}),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
