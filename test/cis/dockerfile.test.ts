import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const dockerignore = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8').split('\n');
const froms = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));

describe('the collector image build', () => {
  test('every stage uses one base image, pinned by digest', () => {
    // A current LTS line (Node 20 reached end of life on 2026-04-30).
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)-bookworm-slim@sha256:[0-9a-f]{64}$/m);
    expect(froms).toHaveLength(3);
    expect(froms.every((l) => l.startsWith('FROM ${NODE_IMAGE}'))).toBe(true);
  });

  test('the runtime stage gets production dependencies only and runs as non-root', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/COPY --from=deps \/app\/node_modules/);
    expect(runtime).not.toMatch(/COPY --from=build \/src\/node_modules/);
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/ENTRYPOINT \["node", "\/app\/bin\/bottlerocket-eks\.js"\]/);
  });

  test('local build output, dependencies and tests stay out of the context', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'build', 'test', '.git']));
  });
});
