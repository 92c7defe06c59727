import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CDK synthesis and CEL compilation are CPU-bound; two forks match the two CI cores.
    // A private TMPDIR per test file, removed after it (test/support/private-tmpdir.ts).
    setupFiles: ['test/support/private-tmpdir.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The tests run on the oldest supported Node (20.19+), where the AWS SDK notes that its releases
    // after January 2027 need Node 22; that is known and planned (package.json engines). This is the
    // SDK's documented switch for the notice; on Node 22 and 24 the SDK emits nothing to switch off.
    // The CDK CLI (deploy and `cdk synth` tests) would post usage telemetry; tests stay offline.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  },
});
