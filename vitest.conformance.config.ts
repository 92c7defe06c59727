import { defineConfig } from 'vitest/config';

/**
 * `npm run test:conformance` (through scripts/conformance.sh, which provides the reference data and the
 * pinned tools): tests that judge the project against upstream truth rather than against itself.
 */
export default defineConfig({
  test: {
    include: ['conformance/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
