/**
 * Where the upstream reference data lives (`../shared/reference`, see its README). The conformance
 * script exports its absolute path; a run without it fails here instead of skipping.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

function referenceRoot(): string {
  const root = process.env.BOTTLEROCKET_EKS_REFERENCE ?? fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
  if (!existsSync(join(root, 'README.md'))) {
    throw new Error(`conformance needs the upstream reference data at ${root} (../shared/reference beside the clone); run it with \`npm run test:conformance\``);
  }
  return root;
}

export const REFERENCE_DIR = referenceRoot();

/** Absolute path of a file or folder under the reference data. */
export function referencePath(...segments: string[]): string {
  const path = join(REFERENCE_DIR, ...segments);
  if (!existsSync(path)) throw new Error(`reference data ${path} is missing`);
  return path;
}

/** Every non-empty YAML document of a reference file, as plain data. */
export function referenceDocuments(...segments: string[]): Array<Record<string, unknown>> {
  return parseAllDocuments(readFileSync(referencePath(...segments), 'utf8'))
    .map((document) => document.toJS() as Record<string, unknown> | null)
    .filter((document): document is Record<string, unknown> => document !== null);
}
