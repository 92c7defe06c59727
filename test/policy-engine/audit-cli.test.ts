import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { deployment, pod, podPolicy, tempTree } from './fixtures.js';

const noHostPid = podPolicy('no-host-pid', '!object.spec.?hostPID.orValue(false)');

describe('audit', () => {
  test('GIVEN a directory tree of YAML, YML and JSON files (objects and arrays) THEN every object is audited and a failure exits 1', async () => {
    const dir = await tempTree({
      'policies/p.yaml': [noHostPid],
      'manifests/a.yaml': [pod('good'), pod('bad', { hostPID: true })],
      'manifests/nested/b.yml': [deployment('deploy')],
      'manifests/nested/c.json': JSON.stringify(pod('from-json')),
      'manifests/nested/d.json': JSON.stringify([pod('array-1'), pod('array-2')]),
      'manifests/notes.txt': 'not a manifest',
    });
    const run = await runCli(['audit', `${dir}/manifests`, '--policies', `${dir}/policies`, '--format', 'json']);
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as { resource: { name: string }; result: string }[];
    expect(results.map((r) => `${r.resource.name} ${r.result}`)).toEqual(['good pass', 'bad fail', 'deploy pass', 'from-json pass', 'array-1 pass', 'array-2 pass']);
    expect(run.stderr).toMatch(/audited 6 objects with 1 policy: 6 results/);
  });

  test('GIVEN only passing objects from stdin, including a kind: List THEN exit is 0', async () => {
    const dir = await tempTree({ 'p.yaml': [noHostPid] });
    const list = { apiVersion: 'v1', kind: 'List', items: [pod('one'), pod('two')] };
    const run = await runCli(['audit', '-', '--policies', `${dir}/p.yaml`, '--format', 'json'], { stdin: `${stringify(pod('zero'))}---\n${stringify(list)}` });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { resource: { name: string } }[]).map((r) => r.resource.name)).toEqual(['zero', 'one', 'two']);
  });

  test('--exceptions applies PolicyExceptions to the given policies', async () => {
    const dir = await tempTree({
      'p.yaml': [noHostPid],
      'e.yaml': [
        {
          apiVersion: 'policies.kyverno.io/v1',
          kind: 'PolicyException',
          metadata: { name: 'agent', namespace: 'kyverno' },
          spec: { policyRefs: [{ name: 'no-host-pid', kind: 'ValidatingPolicy' }], matchConditions: [{ name: 'agent', expression: "object.metadata.name == 'agent'" }] },
        },
      ],
      'm.yaml': [pod('agent', { hostPID: true })],
    });
    const run = await runCli(['audit', `${dir}/m.yaml`, '--policies', `${dir}/p.yaml`, '--exceptions', `${dir}/e.yaml`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SKIP\s+no-host-pid\s+Pod\/agent\s+\S*m\.yaml:1\s+rule is skipped due to policy exception: kyverno\/agent$/m);
  });

  test('without --policies the ADR policy set and its exceptions are used', async () => {
    const dir = await tempTree({ 'm.yaml': [pod('plain', { hostPID: true })] });
    const run = await runCli(['audit', `${dir}/m.yaml`, '--format', 'json']);
    const results = JSON.parse(run.stdout) as { policy: string; result: string }[];
    expect(results.length).toBeGreaterThan(1);
    expect(results.some((r) => r.result === 'fail')).toBe(true);
    expect(run.code).toBe(1);
  });

  test('GIVEN a policy whose expression errors on an object THEN the error is listed with file and line, and audit exits 1', async () => {
    const dir = await tempTree({
      'p.yaml': [podPolicy('needs-list', 'object.spec.containers.all(c, c.ports.size() >= 0)')],
      'm.yaml': [pod('first'), pod('second')],
    });
    const run = await runCli(['audit', `${dir}/m.yaml`, '--policies', `${dir}/p.yaml`, '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as { result: string; source: { file: string; line: number } }[];
    expect(results.map((r) => [r.result, r.source.file, r.source.line])).toEqual([
      ['error', 'm.yaml', 1],
      ['error', 'm.yaml', expect.any(Number)],
    ]);
    expect(results[1]!.source.line).toBeGreaterThan(1);
    expect(run.stderr).toMatch(/^error: .*m\.yaml:1: needs-list: /m);
  });

  test('the table names the file and line of every result', async () => {
    const dir = await tempTree({ 'p.yaml': [noHostPid], 'm.yaml': [pod('good'), pod('bad', { hostPID: true })] });
    const run = await runCli(['audit', `${dir}/m.yaml`, '--policies', `${dir}/p.yaml`], { cwd: dir });
    expect(run.stdout).toMatch(/^RESULT\s+POLICY\s+RESOURCE\s+LOCATION\s+MESSAGE$/m);
    expect(run.stdout).toMatch(/^PASS\s+no-host-pid\s+Pod\/good\s+m\.yaml:1\s/m);
    expect(run.stdout).toMatch(/^FAIL\s+no-host-pid\s+Pod\/bad\s+m\.yaml:\d+\s/m);
  });

  test('GIVEN a namespaceSelector policy and a Namespace written after its Pods THEN the Pods are judged with its labels (a first pass reads the Namespaces), from files and from stdin', async () => {
    const selective = podPolicy('prod-no-host-pid', '!object.spec.?hostPID.orValue(false)', {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }], namespaceSelector: { matchLabels: { env: 'prod' } } },
    });
    const namespace = (name: string, env: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { env } } });
    const manifests = [pod('in-shop', { hostPID: true }, { namespace: 'shop' }), pod('in-lab', { hostPID: true }, { namespace: 'lab' }), namespace('lab', 'dev'), namespace('shop', 'prod')];
    const dir = await tempTree({ 'p.yaml': [selective], 'm.yaml': manifests });
    const fromFile = await runCli(['audit', `${dir}/m.yaml`, '--policies', `${dir}/p.yaml`, '--format', 'json']);
    const fromStdin = await runCli(['audit', '-', '--policies', `${dir}/p.yaml`, '--format', 'json'], { stdin: manifests.map((m) => stringify(m)).join('---\n') });
    for (const run of [fromFile, fromStdin]) {
      expect((JSON.parse(run.stdout) as { resource: { name: string }; result: string }[]).map((r) => `${r.resource.name} ${r.result}`)).toEqual(['in-shop fail']);
      expect(run.stderr).toMatch(/audited 4 objects with 1 policy: 1 results/);
      expect(run.code).toBe(1);
    }
  });

  test('an unknown --format is a usage error', async () => {
    const run = await runCli(['audit', '-', '--format', 'xml']);
    expect(run.code).toBe(2);
  });
});
