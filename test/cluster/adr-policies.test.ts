import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adrPoliciesComponent } from '../../src/cluster/components/adr-policies.js';
import { UserInputError } from '../../src/common/errors.js';
import { loadPolicyLibrary, shippedPolicyFiles } from '../../src/policies/index.js';
import { environment, loadExample, renderEnv } from './fixture.js';

function refusal(run: () => unknown): UserInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error('expected a UserInputError');
}

describe.each(['dev', 'prod'])('the ADR policies in the %s tree', (name) => {
  const { objects, env } = renderEnv(name);
  const kyvernoObjects = objects.filter((object) => object.apiVersion.startsWith('policies.kyverno.io/'));

  test('include exactly the policies and exceptions src/policies ships to it, in file order', () => {
    const shipped = shippedPolicyFiles(loadPolicyLibrary(), env);
    const names = (files: typeof shipped.policies) => files.flatMap((file) => file.objects.map((origin) => (origin.object.metadata as { name: string }).name));
    expect(kyvernoObjects.filter((o) => o.kind === 'ValidatingPolicy').map((o) => o.metadata.name)).toEqual(names(shipped.policies));
    expect(kyvernoObjects.filter((o) => o.kind === 'PolicyException').map((o) => o.metadata.name)).toEqual(names(shipped.exceptions));
    expect(names(shipped.policies)).toHaveLength(19);
  });

  test('use the validation action of policy.mode, and keep every exception in the kyverno namespace', () => {
    const expected = env.policy.mode === 'Enforce' ? ['Deny'] : ['Audit'];
    for (const policy of kyvernoObjects.filter((o) => o.kind === 'ValidatingPolicy')) expect((policy.spec as { validationActions: string[] }).validationActions).toEqual(expected);
    for (const exception of kyvernoObjects.filter((o) => o.kind === 'PolicyException')) expect(exception.metadata.namespace).toBe('kyverno');
  });
});

test('GIVEN prod with policy.mode Enforce THEN its policies deny, while dev audits', () => {
  const actions = (name: string) => new Set(renderEnv(name).objects.filter((o) => o.kind === 'ValidatingPolicy').map((p) => JSON.stringify((p.spec as { validationActions: unknown }).validationActions)));
  expect([...actions('prod')]).toEqual(['["Deny"]']);
  expect([...actions('dev')]).toEqual(['["Audit"]']);
});

describe('GIVEN a policy folder', () => {
  let dir: string;
  const platform = loadExample();
  const render = () => adrPoliciesComponent({ platform, env: environment(platform, 'dev'), policies: loadPolicyLibrary(dir) });
  const write = async (folder: string, file: string, text: string) => {
    await mkdir(join(dir, folder), { recursive: true });
    await writeFile(join(dir, folder, file), text);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adr-policies-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test('WHEN it does not exist THEN the component has no manifests and still waits for kyverno', async () => {
    const component = adrPoliciesComponent({ platform, env: environment(platform, 'dev'), policies: loadPolicyLibrary(join(dir, 'missing')) });
    expect(component).toMatchObject({ manifests: [], dependsOn: ['kyverno'] });
  });

  test('WHEN an exception names another namespace THEN it is refused with file and line', async () => {
    await write('exceptions', 'bad.yaml', 'apiVersion: policies.kyverno.io/v1\nkind: PolicyException\nmetadata:\n  name: escape\n  namespace: team-a\nspec: {}\n');
    expect(refusal(render).format()).toMatch(/bad\.yaml:5:\d+: metadata\.namespace: policy exceptions must live in namespace "kyverno"/);
    await rm(join(dir, 'exceptions', 'bad.yaml'));
  });

  test('WHEN a validating file holds another kind THEN it is refused naming the field', async () => {
    await write('validating', 'wrong.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(refusal(render).format()).toMatch(/wrong\.yaml:1:\d+: apiVersion: expected apiVersion policies\.kyverno\.io/);
    await rm(join(dir, 'validating', 'wrong.yaml'));
  });
});
