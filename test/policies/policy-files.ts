/** The shipped policy and exception YAML, parsed plainly so tests can check their shape. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EXCEPTION_DIR, POLICY_DIR } from '../../src/policies/index.js';

export interface PolicyFile {
  readonly file: string;
  readonly name: string;
  readonly podPolicy: boolean;
  readonly doc: Record<string, any>;
}

export interface ExceptionFile {
  readonly file: string;
  readonly name: string;
  readonly policies: readonly string[];
  readonly doc: Record<string, any>;
}

async function yamlFiles(dir: string): Promise<{ file: string; doc: Record<string, any> }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  return Promise.all(files.map(async (file) => ({ file, doc: parse(await readFile(join(dir, file), 'utf8')) as Record<string, any> })));
}

export async function loadPolicyFiles(): Promise<{ policies: PolicyFile[]; exceptions: ExceptionFile[] }> {
  const policies = (await yamlFiles(POLICY_DIR)).map(({ file, doc }) => ({
    file,
    doc,
    name: String(doc.metadata?.name),
    podPolicy: (doc.spec?.matchConstraints?.resourceRules ?? []).some((r: { resources?: string[] }) => r.resources?.includes('pods')),
  }));
  const exceptions = (await yamlFiles(EXCEPTION_DIR)).map(({ file, doc }) => ({
    file,
    doc,
    name: String(doc.metadata?.name),
    policies: (doc.spec?.policyRefs ?? []).map((r: { name: string }) => r.name),
  }));
  return { policies, exceptions };
}
