/**
 * The reviewed CloudFormation of the example's dev environment. A change here is a change to
 * what gets deployed: review the diff of __snapshots__/fedplat-dev.template.json, then update
 * with `npx vitest run test/infra/snapshot.test.ts -u`.
 */
import { expect, test } from 'vitest';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { exampleConfig } from './fixture.js';

test('the dev environment template matches the reviewed snapshot', async () => {
  const { app, stacks } = buildPlatformApp(exampleConfig(), { environments: ['dev'] });
  const template = app.synth().getStackByName(stacks.get('dev')!.stackName).template as Record<string, unknown>;
  // Nothing volatile to strip: the platform has no assets (no Lambda, no kubectl layer).
  expect(JSON.stringify(template)).not.toMatch(/AssetParameters|\.zip"/);
  await expect(`${JSON.stringify(template, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/fedplat-dev.template.json');
});
