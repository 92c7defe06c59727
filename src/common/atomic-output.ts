/**
 * Replacing one file so that readers see the old or the new content, never a mix: write a
 * temporary file beside it, flush it, rename it over the original (rename(2) is atomic within a
 * filesystem). A symlink is written through (the link stays and its target changes), and an
 * existing file keeps its permission bits; a new file gets the default mode under the umask.
 * Whole output folders are `output-folder.ts`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** The file a write to `path` really changes: the target of a symlink, else `path` itself. */
export async function writeTargetOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return absolute;
  }
}

/** A fresh name beside `target` for the file that will replace it. */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write and flush `temporary` (which must not exist) with `content` and the mode `target` has, if it exists. */
export async function writeTemporaryFor(target: string, temporary: string, content: string | Uint8Array): Promise<void> {
  const existingMode = await stat(target).then(
    (info) => info.mode & 0o7777,
    () => undefined,
  );
  // 0o666 is what fs.writeFile creates with; the umask then narrows it, as for any new file.
  const handle = await open(temporary, 'wx', existingMode ?? 0o666);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // open() applied the umask to the existing mode too; put back exactly what the file had.
  if (existingMode !== undefined) await chmod(temporary, existingMode);
}

/** Write one file atomically, keeping its mode and any symlink that points to it. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const target = await writeTargetOf(path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = temporaryPathFor(target);
  try {
    await writeTemporaryFor(target, temporary, content);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
