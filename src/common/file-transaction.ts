/**
 * Several files that must change together (`platform.yaml` and its ledger): both new contents
 * are written to temporary files and flushed first, so a full disk or a bad permission fails
 * before anything is replaced; then each is renamed into place, and if a later rename fails the
 * earlier files get their previous content back. Rename is the only step that can fail half-way,
 * and the error says exactly which file holds what. Modes and symlinks are kept as
 * `writeFileAtomic` keeps them.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { temporaryPathFor, writeFileAtomic, writeTargetOf, writeTemporaryFor } from './atomic-output.js';
import { UserInputError } from './errors.js';

export interface FileChange {
  /** The file as the user names it (a symlink is written through). */
  readonly path: string;
  readonly content: string;
}

/** The filesystem steps, replaceable so tests can make one fail. */
export interface TransactionSteps {
  readonly rename: (from: string, to: string) => Promise<void>;
}

const DEFAULT_STEPS: TransactionSteps = { rename };

export async function writeFilesTogether(changes: readonly FileChange[], steps: TransactionSteps = DEFAULT_STEPS): Promise<void> {
  const staged: Array<{ change: FileChange; target: string; temporary: string; previous: string | undefined }> = [];
  try {
    for (const change of changes) {
      const target = await writeTargetOf(change.path);
      const previous = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      const temporary = temporaryPathFor(target);
      staged.push({ change, target, temporary, previous });
      await writeTemporaryFor(target, temporary, change.content);
    }
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    throw new UserInputError(`nothing was written: preparing ${changes.map((c) => c.path).join(' and ')} failed: ${(error as Error).message}`, { cause: error });
  }

  const done: typeof staged = [];
  for (const entry of staged) {
    try {
      await steps.rename(entry.temporary, entry.target);
      done.push(entry);
    } catch (error) {
      await Promise.all(staged.filter((other) => !done.includes(other)).map(({ temporary }) => rm(temporary, { force: true })));
      throw await rollBack(done, entry.change.path, staged.filter((other) => other !== entry && !done.includes(other)).map((other) => other.change.path), error);
    }
  }
}

/** Put back the files already replaced; the error tells what each file now holds. */
async function rollBack(done: ReadonlyArray<{ change: FileChange; target: string; previous: string | undefined }>, failed: string, untouched: readonly string[], cause: unknown): Promise<UserInputError> {
  const restored: string[] = [];
  const stuck: string[] = [];
  for (const { change, target, previous } of done) {
    try {
      if (previous === undefined) await rm(target, { force: true });
      else await writeFileAtomic(target, previous);
      restored.push(change.path);
    } catch (error) {
      stuck.push(`${change.path} (restoring it failed: ${(error as Error).message})`);
    }
  }
  const parts = [
    `writing ${failed} failed (${(cause as Error).message}); it is unchanged`,
    ...(untouched.length > 0 ? [`${untouched.join(', ')} not written`] : []),
    ...(restored.length > 0 ? [`${restored.join(', ')} restored to its previous content`] : []),
    ...(stuck.length > 0 ? [`${stuck.join(', ')} HOLDS THE NEW CONTENT: restore it from version control or run the command again`] : []),
  ];
  return new UserInputError(`${parts.join('; ')}`, { cause });
}
