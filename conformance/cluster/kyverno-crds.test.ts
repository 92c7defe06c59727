/**
 * The cluster layer's Kyverno objects against the real policies.kyverno.io CRDs (ADR15-GITOPS-3 with
 * the CRDs given), and the cluster step with them: every generated policy and exception validates.
 */
import { describe, expect, test } from 'vitest';
import { schemaFindings } from '../../src/gates/rules/cluster.js';
import { validateObjectSchema } from '../../src/gates/rules/object-schema.js';
import { WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { renderAndJudgeClusterLayer } from '../../src/pipeline/cluster-layer.js';
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

test('GIVEN the cluster layer judged with the Kyverno CRDs against an agreeing AWS template THEN every gate passes', async () => {
  const platform = parsePlatformModel('platform.yaml', EXAMPLE);
  const env = environment(platform, 'staging');
  const template = {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: env.evidenceBucketName } },
      Sidekick: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.falcosidekick.namespace, ServiceAccount: WORKLOADS.falcosidekick.serviceAccount } },
      Cis: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.cisCollector.namespace, ServiceAccount: WORKLOADS.cisCollector.serviceAccount } },
      Autoscaler: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.clusterAutoscaler.namespace, ServiceAccount: WORKLOADS.clusterAutoscaler.serviceAccount } },
    },
  };
  const stack = { environment: env.name, stackName: env.stackName, stackPath: env.stackName, template };
  const { findings } = await renderAndJudgeClusterLayer({ model: platform, env, stack, crdValidators: validators });
  expect(findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding))).toEqual([]);
  expect(findings.filter((finding) => finding.id === 'ADR15-GITOPS-3' && finding.result === 'not-applicable')).toEqual([]);
});
