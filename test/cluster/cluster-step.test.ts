import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { gateFindingSchema } from '../../src/gates/finding.js';
import { createClusterStep } from '../../src/pipeline/cluster-step.js';
import { EXAMPLE, environment, isUnestablishedDigest } from './fixture.js';

const platform = parsePlatformModel('platform.yaml', EXAMPLE);
const context = { platform, configDir: '.', now: new Date('2026-11-27T00:00:00Z') };

describe('GIVEN the cluster step after the AWS step', () => {
  let envOutDir: string;

  beforeEach(async () => {
    envOutDir = await mkdtemp(join(tmpdir(), 'cluster-step-'));
  });
  afterEach(async () => rm(envOutDir, { recursive: true, force: true }));

  async function writeTemplate(env: ReturnType<typeof environment>) {
    await mkdir(join(envOutDir, 'cloudformation'));
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: env.evidenceBucketName } },
        Sidekick: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.falcosidekick.namespace, ServiceAccount: WORKLOADS.falcosidekick.serviceAccount } },
        Cis: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.cisCollector.namespace, ServiceAccount: WORKLOADS.cisCollector.serviceAccount } },
        General: { Type: 'AWS::EKS::Nodegroup', Properties: { Labels: { [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value } } },
      },
    };
    await writeFile(join(envOutDir, 'cloudformation', `fedplat-${env.name}.template.json`), JSON.stringify(template));
  }

  test('WHEN it runs for staging THEN it writes the Flux tree under cluster/ and every gate passes', async () => {
    const env = environment(platform, 'staging');
    await writeTemplate(env);
    const result = await createClusterStep().run(context, env, envOutDir);
    expect(result.findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding))).toEqual([]);
    for (const finding of result.findings) gateFindingSchema.parse(finding);
    expect(new Set(result.findings.map((f) => f.id))).toEqual(new Set(['ADR15-GITOPS-1', 'ADR15-GITOPS-2', 'ADR15-GITOPS-3', 'ADR15-GITOPS-4', 'ADR15-GITOPS-5']));
    expect((await readdir(join(envOutDir, 'cluster'))).sort()).toEqual(['adr-policies', 'brupop', 'cert-manager', 'cis-collector', 'falco', 'flux-kustomizations.yaml', 'kustomization.yaml', 'kyverno']);
    const release = parseAllDocuments(await readFile(join(envOutDir, 'cluster', 'brupop', 'helm.yaml'), 'utf8')).map((d) => d.toJS())[2];
    expect(release).toMatchObject({ kind: 'HelmRelease', spec: { values: { scheduler_cron_expression: '* * 4-5 * * Mon-Thu *' } } });
    expect(result.summary?.['cluster layer']).toMatch(/^flux, 6 components, \d+ objects$/);
  });

  test('WHEN no AWS template exists THEN the cross-layer gates fail', async () => {
    const result = await createClusterStep().run(context, environment(platform, 'dev'), envOutDir);
    expect(result.findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding)).map((finding) => finding.id)).toEqual(['ADR15-GITOPS-5']);
  });
});
