/** The cluster step judges the same whether its work was prepared (and run while the AWS step waited) or not. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UPDATER_INTERFACE_LABEL } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { createClusterStep } from '../../src/pipeline/cluster-step.js';
import { runDeferredWork } from '../../src/pipeline/deferred-work.js';
import type { PipelineContext } from '../../src/pipeline/step.js';
import { EXAMPLE, environment } from '../cluster/fixture.js';

const platform = parsePlatformModel('platform.yaml', EXAMPLE);
const newContext = (): PipelineContext => ({ platform, configDir: '.', now: new Date('2026-11-27T00:00:00Z') });

async function files(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Object.fromEntries(await Promise.all(names.map(async (entry) => [join(entry.parentPath, entry.name).slice(dir.length), await readFile(join(entry.parentPath, entry.name), 'utf8')] as const)));
}

describe('GIVEN the cluster step', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cluster-prepare-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  async function envDir(name: string, env: ReturnType<typeof environment>): Promise<string> {
    const dir = join(root, name);
    await mkdir(join(dir, 'cloudformation'), { recursive: true });
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: env.evidenceBucketName } },
        General: { Type: 'AWS::EKS::Nodegroup', Properties: { Labels: { [UPDATER_INTERFACE_LABEL.key]: 'wrong' } } },
      },
    };
    await writeFile(join(dir, 'cloudformation', 'stack.template.json'), JSON.stringify(template));
    return dir;
  }

  test('WHEN its work was prepared and run early THEN findings, summary and files equal a run without preparation', async () => {
    const env = environment(platform, 'prod');
    const direct = await createClusterStep().run(newContext(), env, await envDir('direct', env));

    const step = createClusterStep();
    const context = newContext();
    step.prepare?.(context, env);
    await runDeferredWork(context);
    const prepared = await step.run(context, env, await envDir('prepared', env));

    expect(prepared.findings).toEqual(direct.findings);
    expect(prepared.findings.some((finding) => finding.result === 'fail')).toBe(true);
    expect(prepared.summary).toEqual(direct.summary);
    expect(await files(join(root, 'prepared', 'cluster'))).toEqual(await files(join(root, 'direct', 'cluster')));
  });
});
