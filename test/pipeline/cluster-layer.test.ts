/** One environment's cluster layer in the pipeline: rendered, judged against its in-memory AWS template, serialized. */
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { UPDATER_INTERFACE_LABEL, WORKLOADS } from '../../src/common/names.js';
import { parsePlatformModel, type EnvironmentModel } from '../../src/config/index.js';
import { gateFindingSchema } from '../../src/gates/finding.js';
import { renderAndJudgeClusterLayer } from '../../src/pipeline/cluster-layer.js';
import { EXAMPLE, environment, isUnestablishedDigest } from '../cluster/fixture.js';

const platform = parsePlatformModel('platform.yaml', EXAMPLE);

function stackOf(env: EnvironmentModel, resources: Record<string, unknown>) {
  return { environment: env.name, stackName: env.stackName, stackPath: env.stackName, template: { Resources: resources as never } };
}

const agreeing = (env: EnvironmentModel) => ({
  Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: env.evidenceBucketName } },
  Sidekick: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.falcosidekick.namespace, ServiceAccount: WORKLOADS.falcosidekick.serviceAccount } },
  Cis: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.cisCollector.namespace, ServiceAccount: WORKLOADS.cisCollector.serviceAccount } },
  Autoscaler: { Type: 'AWS::EKS::PodIdentityAssociation', Properties: { Namespace: WORKLOADS.clusterAutoscaler.namespace, ServiceAccount: WORKLOADS.clusterAutoscaler.serviceAccount } },
  General: { Type: 'AWS::EKS::Nodegroup', Properties: { Labels: { [UPDATER_INTERFACE_LABEL.key]: UPDATER_INTERFACE_LABEL.value } } },
});

describe('GIVEN the cluster layer of an environment and its AWS template', () => {
  test('WHEN staging is rendered and judged THEN the Flux tree is serialized and every gate passes', async () => {
    const env = environment(platform, 'staging');
    const { findings, files, tree } = await renderAndJudgeClusterLayer({ model: platform, env, stack: stackOf(env, agreeing(env)) });
    expect(findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding))).toEqual([]);
    for (const finding of findings) gateFindingSchema.parse(finding);
    expect(new Set(findings.map((f) => f.id))).toEqual(new Set(['ADR15-GITOPS-1', 'ADR15-GITOPS-2', 'ADR15-GITOPS-3', 'ADR15-GITOPS-4', 'ADR15-GITOPS-5']));
    expect([...new Set(files.map((file) => file.path.split('/')[0]))].sort()).toEqual(['adr-policies', 'brupop', 'cert-manager', 'cis-collector', 'cluster-autoscaler', 'falco', 'flux-kustomizations.yaml', 'kustomization.yaml', 'kyverno']);
    const release = parseAllDocuments(files.find((file) => file.path === 'brupop/helm.yaml')!.text).map((d) => d.toJS())[2];
    expect(release).toMatchObject({ kind: 'HelmRelease', spec: { values: { scheduler_cron_expression: '* * 4-5 * * Mon-Thu *' } } });
    expect(tree.components).toHaveLength(7);
  });

  test('WHEN the template lacks the evidence bucket and the Pod Identity associations THEN ADR15-GITOPS-5 fails', async () => {
    const env = environment(platform, 'dev');
    const { findings } = await renderAndJudgeClusterLayer({ model: platform, env, stack: stackOf(env, {}) });
    expect([...new Set(findings.filter((finding) => finding.result === 'fail' && !isUnestablishedDigest(finding)).map((finding) => finding.id))]).toEqual(['ADR15-GITOPS-5']);
  });
});
