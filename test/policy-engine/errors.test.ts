import { describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { pod, podPolicy, tempTree } from './fixtures.js';

async function audit(files: Parameters<typeof tempTree>[0], extra: string[] = []) {
  const dir = await tempTree(files);
  const run = await runCli(['audit', `${dir}/resources.yaml`, '--policies', `${dir}/policies.yaml`, ...extra]);
  return { dir, run };
}

describe('bad input gives a clear error and exit 2, never a stack trace', () => {
  test('broken YAML in the resources names file, line and column', async () => {
    const { dir, run } = await audit({ 'policies.yaml': [podPolicy('ok', 'true')], 'resources.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${dir}/resources\\.yaml:\\d+:\\d+: invalid YAML`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('a CEL syntax error names file, line, policy, field path and the position inside the expression', async () => {
    const broken = podPolicy('broken-cel', 'true');
    (broken.spec as { validations: unknown[] }).validations.push({ expression: 'true' }, { expression: 'object.spec.containers.all(c, c.name ==)' });
    const { dir, run } = await audit({ 'policies.yaml': [broken], 'resources.yaml': [pod('p')] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^error: ${dir}/policies\\.yaml:\\d+:\\d+: spec\\.validations\\[2\\]\\.expression: ValidatingPolicy broken-cel: CEL syntax error at 1:\\d+ of the expression`),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('a CEL type error (unknown variable) is refused at load time too', async () => {
    const { run } = await audit({ 'policies.yaml': [podPolicy('typo', 'objekt.spec == null')], 'resources.yaml': [pod('p')] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/spec\.validations\[0\]\.expression: ValidatingPolicy typo: CEL type error at 1:1 of the expression: .*objekt/);
  });

  test('an unknown field in a policy names file, line and field', async () => {
    const policy = podPolicy('typo-field', 'true');
    (policy.spec as Record<string, unknown>).validation = [];
    const { dir, run } = await audit({ 'policies.yaml': [policy], 'resources.yaml': [pod('p')] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${dir}/policies\\.yaml:\\d+:3: spec\\.validation: unknown field in ValidatingPolicy typo-field`));
  });

  test('a policy file holding another kind is refused', async () => {
    const { run } = await audit({ 'policies.yaml': [{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'x' }, spec: {} }], 'resources.yaml': [pod('p')] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/expected a ValidatingPolicy or NamespacedValidatingPolicy \(policies\.kyverno\.io\), got kind "ClusterPolicy"/);
  });

  test('a resource without apiVersion/kind/name is refused with its position', async () => {
    const { dir, run } = await audit({ 'policies.yaml': [podPolicy('ok', 'true')], 'resources.yaml': [{ kind: 'Pod', metadata: { name: 'x' } }] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${dir}/resources\\.yaml:1:1: expected a Kubernetes object with apiVersion, kind and metadata\\.name`));
  });

  test('a missing input path is a usage error', async () => {
    const run = await runCli(['audit', '/nonexistent/path.yaml', '--policies', '/nonexistent/policies']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no such file or directory/);
  });
});
