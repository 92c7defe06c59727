/**
 * Outputs are staged in a temporary sibling folder and moved into place only when the whole
 * job succeeded, so a failed run never leaves partial or mixed output behind.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface StagedOutput {
  /** Folder to write into; becomes `target` on `commit()`. */
  readonly stagingDir: string;
  /** Replace `target` with the staged folder. */
  commit(): Promise<void>;
  /** Drop the staged folder; `target` is untouched. */
  discard(): Promise<void>;
}

/** Stage a whole output folder. The staging folder sits beside `target` so the final rename stays on one filesystem. */
export async function stageOutputDir(target: string): Promise<StagedOutput> {
  const absoluteTarget = resolve(target);
  await mkdir(dirname(absoluteTarget), { recursive: true });
  const stagingDir = await mkdtemp(join(dirname(absoluteTarget), `.${basename(absoluteTarget)}.staging-`));
  return {
    stagingDir,
    async commit() {
      const previous = `${stagingDir}.previous`;
      let hadPrevious = true;
      try {
        await rename(absoluteTarget, previous);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        hadPrevious = false;
      }
      await rename(stagingDir, absoluteTarget);
      if (hadPrevious) await rm(previous, { recursive: true, force: true });
    },
    async discard() {
      await rm(stagingDir, { recursive: true, force: true });
    },
  };
}

/** Write one file atomically: a temporary file in the same folder, then rename. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  const temporary = join(dirname(absolute), `.${basename(absolute)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
