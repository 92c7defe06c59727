/**
 * The Bottlerocket API over its unix socket (`/run/api.sock`), the way `apiclient` reaches it:
 * plain HTTP on a socket path. Only GETs: the collector reads reports and OS facts, never settings.
 */
import { request } from 'node:http';

export interface BottlerocketApi {
  /** GET `path` and parse the JSON body; rejects on a non-200 answer. */
  getJson(path: string): Promise<unknown>;
}

export function unixSocketApi(socketPath: string, timeoutMs = 60_000): BottlerocketApi {
  return {
    getJson: (path) =>
      new Promise((resolve, reject) => {
        const req = request({ socketPath, path, method: 'GET', headers: { host: 'localhost', accept: 'application/json' }, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`GET ${path}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
            try {
              resolve(JSON.parse(body));
            } catch (error) {
              reject(new Error(`GET ${path}: invalid JSON (${(error as Error).message})`));
            }
          });
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end();
      }),
  };
}

export function reportPath(type: 'bottlerocket' | 'kubernetes', level: 1 | 2): string {
  return `/report/cis?${new URLSearchParams({ type, level: String(level), format: 'json' }).toString()}`;
}
