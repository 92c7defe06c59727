/**
 * The cluster layer's Kyverno objects against the real policies.kyverno.io CRDs (ADR15-GITOPS-3 with
 * the CRDs given), and the cluster step with them: every generated policy and exception validates.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { schemaFindings } from '../../src/cluster/gates.js';
import { validateObjectSchema } from '../../src/cluster/object-schema.js';
import { UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { createClusterStep } from '../../src/pipeline/cluster-step.js';
import { EXAMPLE, environment, isUnestablishedDigest, renderEnv } from '../../test/cluster/fixture.js';
import { kyvernoCrdValidators } from '../support/kyverno-crds.js';

const validators = kyvernoCrdValidators();

describe.each(['dev', 'prod'])('the ADR policies in the %s tree', (name) => {
  const { objects } = renderEnv(name);
  const kyvernoObjects = objects.filter((object) => object.apiVersion.startsWith('policies.kyverno.io/'));

  test('validate against the Kyverno CRDs', async () => {
    expect(kyvernoObjects.length).toBeGreaterThan(0);
    for (const object of kyvernoObjects) {
      expect(await validateObjectSchema(object, validators), `${object.kind}/${object.metadata.name}`).toEqual({ result: 'pass' });
    }
  });

  test('GIVEN the rendered tree and the Kyverno CRDs THEN every object validates (ADR15-GITOPS-3)', async () => {
    const findings = await schemaFindings(objects, validators);
    expect(findings).toHaveLength(objects.length);
    expect(findings.filter((f) => f.result !== 'pass')).toEqual([]);
  });
});

test('GIVEN a policy breaking the CRD schema THEN CRD validation fails it', async () => {
  const result = await validateObjectSchema({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: { name: 'x' }, spec: { validationActions: 'Deny' } }, validators);
  expect(result.result).toBe('fail');
  expect(result.reason).toMatch(/validationActions/);
});

test('GIVEN the cluster step with the Kyverno CRDs after the AWS step THEN every gate passes', async () => {
  const platform = parsePlatformModel('platform.yaml', EXAMPLE);
  const env = environment(platform, 'staging');
  const envOutDir = await mkdtemp(join(tmpdir(), 'cluster-step-crds-'));
  try {
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
    const context = { platform, configDir: '.', now: new Date('2026-11-27T00:00:00Z') };
    const result = await createClusterStep({ crdValidators: validators }).run(context, env, envOutDir);
    expect(result.findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding))).toEqual([]);
    expect(result.findings.filter((finding) => finding.id === 'ADR15-GITOPS-3' && finding.result === 'not-applicable')).toEqual([]);
  } finally {
    await rm(envOutDir, { recursive: true, force: true });
  }
});
