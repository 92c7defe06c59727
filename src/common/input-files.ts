/**
 * Finding input files under the paths a user names: folders walked depth-first in name order (so
 * output is stable), symlinks followed to files and folders alike, each real file and folder read
 * once (a symlink loop, or two links to one folder, cannot repeat or hang the walk). Nothing is
 * left out silently: every file that is not taken is returned with the reason, for the caller to
 * report. Decoding the files is not this module's job.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from './errors.js';

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface DiscoveredFiles {
  /** Files to read, in walk order. A path named directly is always taken, whatever its name. */
  readonly files: readonly string[];
  readonly skipped: readonly SkippedFile[];
}

/** Which files inside a folder are taken; `reason` says what the others lack. */
export interface FileFilter {
  readonly accepts: (name: string) => boolean;
  readonly reason: string;
}

/** Kubernetes manifests: `.yaml`, `.yml` and `.json` in any letter case. */
export const MANIFEST_FILES: FileFilter = {
  accepts: (name) => /\.(ya?ml|json)$/i.test(name),
  reason: 'not a .yaml, .yml or .json file',
};

export async function discoverFiles(paths: readonly string[], filter: FileFilter): Promise<DiscoveredFiles> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  /** Real path → the path it was first reached by. */
  const seen = new Map<string, string>();

  const visit = async (path: string, named: boolean): Promise<void> => {
    let info;
    let real;
    try {
      info = await stat(path);
      real = await realpath(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (named) throw new UserInputError(`no such file or directory: ${path}`);
      skipped.push({ path, reason: code === 'ENOENT' ? 'a symlink to nothing' : code === 'ELOOP' ? 'a symlink loop' : `unreadable (${code ?? (error as Error).message})` });
      return;
    }
    const taken = info.isDirectory() || (info.isFile() && (named || filter.accepts(path)));
    const first = seen.get(real);
    if (taken && first !== undefined) {
      skipped.push({ path, reason: `already read as ${first}` });
      return;
    }
    if (taken) seen.set(real, path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const name of names) await visit(join(path, name), false);
    } else if (!info.isFile()) {
      if (named) throw new UserInputError(`${path} is neither a file nor a folder`);
      skipped.push({ path, reason: 'not a regular file' });
    } else if (taken) {
      files.push(path);
    } else {
      skipped.push({ path, reason: filter.reason });
    }
  };

  for (const path of paths) await visit(path, true);
  return { files, skipped };
}
