/**
 * The ownership manifest: a file the tool writes into every output folder, naming every file it
 * wrote there (with its SHA-256) and the tool version. It is the tool's only licence to replace
 * anything: an entry it lists, whose files are still exactly what was written, may be replaced;
 * anything else in the folder belongs to someone else and is never touched.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = '.bottlerocket-eks-output.json';
export const MANIFEST_KIND = 'bottlerocket-eks/output-manifest/v1';

export const outputManifestSchema = z.strictObject({
  kind: z.literal(MANIFEST_KIND),
  note: z.string(),
  tool: z.string().min(1),
  version: z.string().min(1),
  /** Top-level entries the tool owns in this folder (environment folders, summary.md). */
  entries: z.array(z.string().min(1)),
  /** Every file below those entries, `/`-separated path relative to the folder → SHA-256 hex. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

export type OutputManifest = z.infer<typeof outputManifestSchema>;

export const MANIFEST_NOTE =
  'Written by bottlerocket-eks synth. It only ever replaces the entries listed here, and only while their files are unchanged; files beside them are never touched. Delete this file to take the folder back.';

/** `undefined` when the folder has no manifest; throws when there is one that cannot be read. */
export async function readManifest(folder: string): Promise<OutputManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return outputManifestSchema.parse(JSON.parse(text));
}

export function renderManifest(manifest: OutputManifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...manifest, entries: [...manifest.entries].sort(), files }, null, 2)}\n`;
}

/**
 * Every file, symlink or other non-directory below `folder/entry` (or the entry itself when it is
 * a file), as `/`-separated paths relative to `folder`. Symlinks are listed, not followed: the
 * tool never writes one, so one found there is someone else's.
 */
export async function listFiles(folder: string, entry: string): Promise<string[]> {
  const info = await lstat(join(folder, entry)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined) return [];
  if (!info.isDirectory()) return [entry];
  const out: string[] = [];
  for (const child of await readdir(join(folder, entry))) out.push(...(await listFiles(folder, `${entry}/${child}`)));
  return out;
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Files of `entries` in `folder` with their hashes, for a new manifest. */
export async function hashEntries(folder: string, entries: readonly string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of entries) for (const file of await listFiles(folder, entry)) files[file] = await sha256Of(join(folder, file));
  return files;
}
