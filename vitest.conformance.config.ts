import { defineConfig } from 'vitest/config';

/**
 * `npm run test:conformance` (through scripts/conformance.sh, which provides the reference data and the
 * pinned tools): tests that judge the project against upstream truth rather than against itself.
 */
export default defineConfig({
  test: {
    include: ['conformance/**/*.test.ts'],
    // A private TMPDIR per test file, removed after it (test/support/private-tmpdir.ts).
    setupFiles: ['test/support/private-tmpdir.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The tests run on the oldest supported Node (20.19+), where the AWS SDK notes that its releases
    // after January 2027 need Node 22; that is known and planned (package.json engines). This is the
    // SDK's documented switch for the notice; on Node 22 and 24 the SDK emits nothing to switch off.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
