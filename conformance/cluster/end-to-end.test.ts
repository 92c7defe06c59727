/**
 * End-to-end proof of the cluster layer: for each environment, every chart rendered by Helm with the
 * generated values, the tool's own manifests, and the EKS add-ons (the real VPC CNI and EBS CSI
 * renders, the kube-proxy, CoreDNS and Pod Identity agent fixtures, pulled from the add-on registry of the environment's region as
 * EKS deploys them) pass the policies the environment ships with the exceptions it
 * ships: not one fail. Without the exceptions, each system component fails exactly the policies its
 * exception grants: every grant is needed, and none is missing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { KubernetesObject } from '../../src/cluster/component.js';
import { toYamlStream } from '../../src/common/yaml-writer.js';
import { classifyObjects } from '../../src/gitops-audit/index.js';
import { eksAddonRegistry } from '../../src/policies/eks-addon-registries.js';
import { compilePolicySet, parseObjects, type PolicyResult, type SourceObject } from '../../src/policy-engine/index.js';
import { environment, loadExample } from '../../test/cluster/fixture.js';
import { ENVIRONMENTS, renderedEnvironment } from '../support/cluster-renders.js';
import { referencePath } from '../support/reference.js';

const ADD_ONS = [
  `${referencePath('upstream-manifests')}/aws-vpc-cni.yaml`,
  `${referencePath('upstream-manifests')}/aws-ebs-csi-driver.yaml`,
  ...['kube-proxy.yaml', 'coredns.yaml', 'eks-pod-identity-agent.yaml'].map((file) => fileURLToPath(new URL(`../../test/policies/fixtures/${file}`, import.meta.url))),
];

/** The registry of the renders' default values (the charts' us-west-2). */
const RENDERED_ADDON_REGISTRY = '602401143452.dkr.ecr.us-west-2.amazonaws.com';

/** The add-ons as EKS runs them in `region`: from that region's add-on registry (EKS User Guide). */
function addOnsIn(region: string): SourceObject[] {
  const registry = eksAddonRegistry(region);
  if (registry === undefined) throw new Error(`no EKS add-on registry known for ${region}`);
  return ADD_ONS.flatMap((file) => parseObjects(file, readFileSync(file, 'utf8').replaceAll(RENDERED_ADDON_REGISTRY, registry)));
}

const asSources = (file: string, objects: readonly KubernetesObject[]) => parseObjects(file, toYamlStream(objects));
const key = (result: PolicyResult) => `${result.resource.kind}/${result.resource.namespace ?? ''}/${result.resource.name}`;

describe.each(ENVIRONMENTS)('GIVEN environment %s as a cluster would run it', (name) => {
  const rendered = renderedEnvironment(name);
  const shipped = rendered.objects;
  const policies = asSources(`${name}/adr-policies`, shipped.filter((object) => object.kind === 'ValidatingPolicy'));
  const exceptions = asSources(`${name}/adr-policies`, shipped.filter((object) => object.kind === 'PolicyException'));
  const grants = new Map(
    exceptions.map(({ object }) => [
      String((object.metadata as { name: string }).name),
      new Set(((object.spec as { policyRefs: Array<{ name: string }> }).policyRefs ?? []).map((ref) => ref.name)),
    ]),
  );

  const region = environment(loadExample(), name).region;

  async function workloads(): Promise<SourceObject[]> {
    const charts = rendered.charts.flatMap((chart) => asSources(`${name}/${chart.chart.chart}`, chart.objects));
    const plain = classifyObjects(asSources(`${name}/tree`, shipped)).manifests;
    return [...charts, ...plain, ...addOnsIn(region)];
  }

  test('THEN with the shipped exceptions nothing fails or errors', async () => {
    const results = compilePolicySet({ policies, exceptions }).evaluate(await workloads());
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((result) => result.result === 'fail' || result.result === 'error').map((result) => `${key(result)} ${result.policy}: ${result.message}`)).toEqual([]);
  });

  test("THEN the add-ons from another region's registry get no grant", () => {
    const elsewhere = ADD_ONS.flatMap((file) => parseObjects(file, readFileSync(file, 'utf8')));
    const results = compilePolicySet({ policies, exceptions }).evaluate(elsewhere);
    const cni = results.filter((result) => result.resource.name === 'aws-node' && result.policy === 'bottlerocket-disallow-host-network');
    expect(region).not.toBe('us-west-2');
    expect(cni.map((result) => result.result)).toContain('fail');
  });

  test('THEN without them each system component fails exactly the policies its exceptions grant', async () => {
    const objects = await workloads();
    const withExceptions = compilePolicySet({ policies, exceptions }).evaluate(objects);
    const without = compilePolicySet({ policies, exceptions: [] }).evaluate(objects);
    const granted = new Map<string, Set<string>>();
    for (const result of withExceptions.filter((candidate) => candidate.result === 'skip')) {
      const names = (result.exceptions ?? []).map((exception) => exception.split('/').pop()!);
      const policiesOf = granted.get(key(result)) ?? new Set<string>();
      for (const exception of names) for (const policy of grants.get(exception) ?? []) policiesOf.add(policy);
      granted.set(key(result), policiesOf);
    }
    expect(granted.size).toBeGreaterThan(5);
    for (const [resource, policiesOf] of granted) {
      const failing = new Set(without.filter((result) => key(result) === resource && result.result === 'fail').map((result) => result.policy));
      expect([...failing].sort(), resource).toEqual([...policiesOf].sort());
    }
    // Every shipped exception covers some workload here. (falcosidekick, which the reference data
    // cannot render without its subchart, ships none: its values give it the restricted profile.)
    const used = new Set(withExceptions.flatMap((result) => (result.exceptions ?? []).map((exception) => exception.split('/').pop()!)));
    expect([...grants.keys()].filter((exception) => !used.has(exception))).toEqual([]);
  });
});
