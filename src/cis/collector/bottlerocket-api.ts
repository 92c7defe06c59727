/**
 * The Bottlerocket API over its unix socket (`/run/api.sock`), the way `apiclient` reaches it:
 * plain HTTP on a socket path. Only GETs: the collector reads reports and OS facts, never settings.
 */
import { request } from 'node:http';

export interface BottlerocketApi {
  /** GET `path` and parse the JSON body; rejects on a non-200 answer. */
  getJson(path: string): Promise<unknown>;
}

/** A CIS report is a few kilobytes; anything near this is not one. */
export const MAX_API_RESPONSE_BYTES = 16 * 1024 * 1024;

export function unixSocketApi(socketPath: string, timeoutMs = 60_000, maxBytes = MAX_API_RESPONSE_BYTES): BottlerocketApi {
  return {
    getJson: (path) =>
      new Promise((resolve, reject) => {
        const req = request({ socketPath, path, method: 'GET', headers: { host: 'localhost', accept: 'application/json' }, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) req.destroy(new Error(`GET ${path}: response larger than ${maxBytes} bytes; cut off`));
            else chunks.push(chunk);
          });
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
