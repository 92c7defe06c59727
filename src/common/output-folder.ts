/**
 * Output folders the tool owns, replaced so that a crash never leaves nothing.
 *
 * The folder itself is never moved or deleted: a symlinked `--out` stays a link, a mount point
 * is filled in place, and files beside the tool's entries (a GitOps repository's `flux-system/`)
 * are never touched. Inside it the tool owns the entries its manifest lists (`output-manifest.ts`):
 * environment folders and `summary.md`.
 *
 * A run works in a staging folder inside the output folder (same filesystem, so renames are
 * atomic), then commits: it writes a journal naming the staging folder and the entries to swap,
 * and swaps entry by entry: the old entry is parked, the new one renamed into its place, the new
 * manifest renamed over the old, the parked entries deleted. A file is replaced by one rename; a
 * folder, which rename(2) cannot swap over a non-empty folder, by two renames a few microseconds
 * apart, with the old copy parked until the new one is in place. A run killed at any point leaves
 * every entry complete, old or new, or (inside that window) parked under the journal; the next run
 * reads the journal first and finishes the swap, then removes staging folders of killed runs.
 * One lock file serialises runs on the same folder.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-output.js';
import { UserInputError } from './errors.js';
import { acquireLock, type HeldLock } from './file-lock.js';
import { hashEntries, listFiles, MANIFEST_FILE, MANIFEST_KIND, MANIFEST_NOTE, readManifest, renderManifest, sha256Of, type OutputManifest } from './output-manifest.js';
import { resolveOutputTarget, type OutputTargetOptions } from './output-target.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

/** Every name the tool keeps for itself inside an output folder starts with this. */
const INTERNAL_PREFIX = '.bottlerocket-eks-';
const LOCK_FILE = `${INTERNAL_PREFIX}lock`;
const JOURNAL_FILE = `${INTERNAL_PREFIX}journal.json`;
const STAGING_PATTERN = /^\.bottlerocket-eks-(staging|parked)-[0-9a-f]{16}$/;
/** Everything a killed run can leave behind in the folder besides its journal. */
const LEFTOVER_PATTERN = /^\.bottlerocket-eks-((staging|parked)-[0-9a-f]{16}|journal-[0-9a-f]{16}\.tmp)$/;
/** Most foreign files a message names before it summarises. */
const LISTED = 10;

export interface OutputFolderOptions extends OutputTargetOptions {
  /** Top-level entries this run writes (environment folders, `summary.md`). */
  readonly entries: readonly string[];
  /**
   * Whether entries the manifest owns but this run does not write are removed (a full synth:
   * an environment dropped from the config goes); otherwise they stay (`--env`).
   */
  readonly replaceAll: boolean;
  /**
   * Write beside files the tool did not write (a GitOps repository's `clusters/` with
   * `flux-system/`). Only the run's own entries are ever replaced, and only once owned.
   *
   * @default false
   */
  readonly alongside?: boolean;
}

export interface OutputFolder {
  /** The real folder written into. */
  readonly folder: string;
  /** Write the run's entries here; they replace the folder's on `commit()`. */
  readonly stagingDir: string;
  /** Swap the staged entries in and write the manifest. */
  commit(): Promise<void>;
  /** Drop the staged entries; the folder is as it was. */
  discard(): Promise<void>;
}

const journalSchema = z.strictObject({
  staging: z.string().regex(STAGING_PATTERN),
  parked: z.string().regex(STAGING_PATTERN),
  /** `replace`: the staging folder holds a new copy; otherwise the entry is removed. */
  entries: z.array(z.strictObject({ name: z.string().min(1), replace: z.boolean() })),
});
type Journal = z.infer<typeof journalSchema>;

/**
 * Check that the run may write its entries into the folder (exit 2 naming what is in the way,
 * with nothing touched, if not), finish any swap a killed run left, and open a staging folder.
 */
export async function openOutputFolder(options: OutputFolderOptions): Promise<OutputFolder> {
  const target = await resolveOutputTarget(options);
  const folder = target.folder;
  if (!target.exists) {
    // Before creating anything: a folder that does not exist has nothing to refuse.
    await mkdir(folder, { recursive: true });
  }
  const lock = await acquireLock(join(folder, LOCK_FILE), { what: `the output folder ${target.given}`, waitMs: 5_000 });
  try {
    await recover(folder);
    const previous = await ownership(folder, target.given, options);
    const id = randomBytes(8).toString('hex');
    const stagingDir = join(folder, `${INTERNAL_PREFIX}staging-${id}`);
    await mkdir(stagingDir);
    return new StagedOutput(folder, target.given, !target.exists, stagingDir, id, previous, options, lock);
  } catch (error) {
    await lock.release();
    if (!target.exists) await removeIfEmpty(folder);
    throw error;
  }
}

class StagedOutput implements OutputFolder {
  constructor(
    readonly folder: string,
    private readonly given: string,
    private readonly created: boolean,
    readonly stagingDir: string,
    private readonly id: string,
    private readonly previous: OutputManifest | undefined,
    private readonly options: OutputFolderOptions,
    private readonly lock: HeldLock,
  ) {}

  async commit(): Promise<void> {
    try {
      // Someone may have put files into an owned entry while the run worked.
      await ownership(this.folder, this.given, this.options);
      const written = this.options.entries.filter((entry) => entry !== MANIFEST_FILE);
      const owned = this.previous?.entries ?? [];
      const removed = this.options.replaceAll ? owned.filter((entry) => !written.includes(entry)) : [];
      const kept = owned.filter((entry) => !written.includes(entry) && !removed.includes(entry));
      const files = { ...filesOf(this.previous, kept), ...(await hashEntries(this.stagingDir, written)) };
      const manifest: OutputManifest = { kind: MANIFEST_KIND, note: MANIFEST_NOTE, tool: TOOL_NAME, version: TOOL_VERSION, entries: [...kept, ...written], files };
      await writeFileAtomic(join(this.stagingDir, MANIFEST_FILE), renderManifest(manifest));
      const journal: Journal = {
        staging: `${INTERNAL_PREFIX}staging-${this.id}`,
        parked: `${INTERNAL_PREFIX}parked-${this.id}`,
        entries: [...written.map((name) => ({ name, replace: true })), ...removed.map((name) => ({ name, replace: false })), { name: MANIFEST_FILE, replace: true }],
      };
      // From here the new output is complete on disk: the journal lets anyone finish the swap.
      await writeJournal(this.folder, this.id, journal);
      await rollForward(this.folder, journal);
    } finally {
      await this.lock.release();
    }
  }

  async discard(): Promise<void> {
    try {
      await rm(this.stagingDir, { recursive: true, force: true });
    } finally {
      await this.lock.release();
      if (this.created) await removeIfEmpty(this.folder);
    }
  }
}

function filesOf(manifest: OutputManifest | undefined, entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(manifest?.files ?? {}).filter(([file]) => entries.some((entry) => file === entry || file.startsWith(`${entry}/`))));
}

/**
 * Finish a commit: idempotent, so the next run can repeat it after a crash at any point. An entry
 * still in staging has not been swapped; an entry present in the folder then is the old one.
 */
async function rollForward(folder: string, journal: Journal): Promise<void> {
  const parked = join(folder, journal.parked);
  await mkdir(parked, { recursive: true });
  for (const { name, replace } of journal.entries) {
    const staged = join(journal.staging, name);
    const final = join(folder, name);
    const stagedInfo = await lstatOf(join(folder, staged));
    if (replace && stagedInfo === undefined) continue;
    if (replace && !stagedInfo!.isDirectory()) {
      // A file: rename replaces it in one step.
      await rename(join(folder, staged), final);
      continue;
    }
    if ((await lstatOf(final)) !== undefined) {
      if ((await lstatOf(join(parked, name))) !== undefined) throw new Error(`output folder ${folder}: ${name} is both in place and parked; the journal ${JOURNAL_FILE} cannot be completed`);
      await rename(final, join(parked, name));
    }
    if (replace) await rename(join(folder, staged), final);
  }
  await rm(parked, { recursive: true, force: true });
  await rm(join(folder, journal.staging), { recursive: true, force: true });
  await rm(join(folder, JOURNAL_FILE), { force: true });
}

/** Complete what a killed run committed, then drop staging folders of runs that never committed. */
async function recover(folder: string): Promise<void> {
  const text = await readFile(join(folder, JOURNAL_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    const journal = journalSchema.safeParse(JSON.parse(text));
    if (!journal.success) throw new UserInputError(`${join(folder, JOURNAL_FILE)} is not a journal this tool wrote; move it away and check the folder by hand`);
    await rollForward(folder, journal.data);
  }
  for (const name of await readdir(folder)) {
    if (LEFTOVER_PATTERN.test(name)) await rm(join(folder, name), { recursive: true, force: true });
  }
}

/**
 * The journal appears under its name complete or not at all: written and flushed under a
 * temporary name the cleanup knows (a kill may leave it), then renamed.
 */
async function writeJournal(folder: string, id: string, journal: Journal): Promise<void> {
  const temporary = join(folder, `${INTERNAL_PREFIX}journal-${id}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(journal, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(folder, JOURNAL_FILE));
}

/**
 * The manifest, after checking that every entry the run would replace or remove is owned and
 * unchanged, and that a folder without a manifest is empty (or `alongside` and clear of the run's
 * entries). Refusals name the files in the way and what to do.
 */
async function ownership(folder: string, given: string, options: OutputFolderOptions): Promise<OutputManifest | undefined> {
  let manifest: OutputManifest | undefined;
  try {
    manifest = await readManifest(folder);
  } catch (error) {
    throw new UserInputError(`--out ${given}: ${MANIFEST_FILE} is there but is not a manifest this tool wrote (${(error as Error).message.split('\n')[0]}); nothing was written. Move the folder's content away or choose another --out`);
  }
  const present = (await readdir(folder)).filter((name) => !name.startsWith(INTERNAL_PREFIX) && name !== MANIFEST_FILE);
  if (manifest === undefined) {
    const inTheWay = options.alongside ? present.filter((name) => options.entries.includes(name)) : present;
    if (inTheWay.length === 0) return undefined;
    const files = (await Promise.all(inTheWay.map((name) => listFiles(folder, name)))).flat();
    throw new UserInputError(
      `--out ${given} holds ${describe(files, inTheWay)} that this tool did not write (it has no ${MANIFEST_FILE}); nothing was written. ` +
        (options.alongside
          ? 'Move those away or choose another --out.'
          : 'Choose an empty or new folder (e.g. --out dist), move those files away, or pass --alongside to write only the environment folders and summary.md beside them.'),
    );
  }
  const touched = present.filter((name) => options.entries.includes(name) || (options.replaceAll && manifest.entries.includes(name)));
  const foreign: string[] = [];
  const changed: string[] = [];
  for (const name of touched) {
    if (!manifest.entries.includes(name)) {
      foreign.push(...(await listFiles(folder, name)));
      continue;
    }
    for (const file of await listFiles(folder, name)) {
      const expected = manifest.files[file];
      if (expected === undefined) foreign.push(file);
      else if ((await lstatOf(join(folder, file)))?.isFile() !== true || (await sha256Of(join(folder, file))) !== expected) changed.push(file);
    }
  }
  if (foreign.length > 0 || changed.length > 0) {
    const parts = [
      ...(foreign.length > 0 ? [`${describe(foreign)} that this tool did not write`] : []),
      ...(changed.length > 0 ? [`${describe(changed)} changed since it wrote them`] : []),
    ];
    throw new UserInputError(
      `--out ${given}: the entries this run replaces hold ${parts.join(', and ')}; nothing was written. Move those files out of the way (or restore them), then run again.`,
    );
  }
  return manifest;
}

function describe(files: readonly string[], entries: readonly string[] = files): string {
  const shown = (files.length > 0 ? files : entries).slice().sort();
  const list = shown.slice(0, LISTED).join(', ');
  return `${shown.length} file${shown.length === 1 ? '' : 's'} (${list}${shown.length > LISTED ? `, and ${shown.length - LISTED} more` : ''})`;
}

async function lstatOf(path: string) {
  return lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

async function removeIfEmpty(folder: string): Promise<void> {
  await rmdir(folder).catch(() => undefined);
}
