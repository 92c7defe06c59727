/** Small policies and objects for engine tests, written with the yaml library into a temp folder. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compilePolicySet, parseObjects, type PolicyEngine, type SourceObject } from '../../src/policy-engine/index.js';

export type Obj = Record<string, unknown>;

export function policy(name: string, spec: Obj, extra: { kind?: string; namespace?: string; annotations?: Record<string, string> } = {}): Obj {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: extra.kind ?? 'ValidatingPolicy',
    metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec,
  };
}

export const podRules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] };

/** A pod policy with one validation. */
export function podPolicy(name: string, expression: string, more: Obj = {}): Obj {
  return policy(name, { validationActions: ['Audit'], matchConstraints: podRules, validations: [{ expression, message: `${name} failed` }], ...more });
}

export function exception(name: string, policyName: string, matchConditions: { name: string; expression: string }[], more: Obj = {}): Obj {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'PolicyException',
    metadata: { name, namespace: 'kyverno' },
    spec: { policyRefs: [{ name: policyName, kind: 'ValidatingPolicy' }], matchConditions, ...more },
  };
}

export function pod(name: string, spec: Obj = {}, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } };
}

export function deployment(name: string, podSpec: Obj = {}, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...metadata },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...podSpec } } },
  };
}

export function cronJob(name: string, podSpec: Obj = {}): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx' }], ...podSpec } } } } },
  };
}

/** Parse objects the way the CLI reads files (BigInt integers, positions). */
/**
 * YAML for a manifest as the API server will read it: strings that YAML 1.1 would take for
 * booleans or numbers (`yes`, `on`, `0777`) are quoted, as kubectl's own output does.
 */
export function manifestYaml(doc: unknown): string {
  return stringify(doc, { version: '1.1' });
}

export function objects(file: string, docs: readonly Obj[]): SourceObject[] {
  return parseObjects(file, docs.map(manifestYaml).join('---\n'));
}

export function engineOf(policies: readonly Obj[], exceptions: readonly Obj[] = []): PolicyEngine {
  return compilePolicySet({ policies: objects('policies.yaml', policies), exceptions: objects('exceptions.yaml', exceptions) });
}

/** Write files (YAML documents or raw text) into a fresh temp folder; returns its path. */
export async function tempTree(files: Record<string, readonly Obj[] | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'policy-engine-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : content.map(manifestYaml).join('---\n'));
  }
  return dir;
}
