/**
 * Where an output folder may be: never `/`, the home folder, the current directory, a repository
 * root (a folder holding `.git`), the folder holding the config file, or any folder above those
 * (replacing entries there would reach into them). A symlinked `--out` is resolved to the folder it
 * points to, which is where the output goes (the link itself stays).
 */
import { existsSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserInputError } from './errors.js';

export interface OutputTargetOptions {
  /** The folder as the user named it (`--out`). */
  readonly outDir: string;
  /** The config file the run reads; its folder is off limits. */
  readonly configFile: string;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default os.homedir() */
  readonly home?: string;
}

export interface OutputTarget {
  /** The folder as the user named it, for messages. */
  readonly given: string;
  /** The real folder written into (symlinks resolved; may not exist yet). */
  readonly folder: string;
  readonly exists: boolean;
}

const FIX = 'name a dedicated output folder, e.g. --out dist';

export async function resolveOutputTarget(options: OutputTargetOptions): Promise<OutputTarget> {
  const given = options.outDir;
  if (given.trim() === '') throw new UserInputError(`--out is empty (an unset variable?); ${FIX}`);
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, given);
  const link = await lstat(absolute).catch(() => undefined);
  if (link?.isSymbolicLink() && !(await stat(absolute).catch(() => undefined))) {
    throw new UserInputError(`--out ${given} is a symlink to a folder that does not exist; create its target or point --out elsewhere`);
  }
  const folder = await realPathOf(absolute);
  const info = await stat(folder).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) throw new UserInputError(`--out ${given} is a file, not a folder; ${FIX}`);

  const config = await realPathOf(resolve(cwd, options.configFile));
  const protectedPlaces: Array<[string, string]> = [
    [await realPathOf(cwd), 'the current directory'],
    [dirname(config), `the folder holding the config file ${basename(config)}`],
    [await realPathOf(options.home ?? homedir()), 'the home folder'],
  ];
  if (folder === sep || folder === resolve('/')) throw refusal(given, folder, 'the root of the filesystem');
  for (const [place, what] of protectedPlaces) {
    if (folder === place) throw refusal(given, folder, what);
    if (isInside(place, folder)) throw refusal(given, folder, `a folder above ${what} (${place})`);
  }
  if (info !== undefined && existsSync(join(folder, '.git'))) throw refusal(given, folder, 'a repository root (it holds .git)');
  return { given, folder, exists: info !== undefined };
}

function refusal(given: string, folder: string, what: string): UserInputError {
  const shown = given === folder ? given : `${given} (${folder})`;
  return new UserInputError(`refusing to write output into ${shown}: it is ${what}; nothing was written. ${FIX[0]!.toUpperCase()}${FIX.slice(1)}`);
}

/** True when `child` lies strictly below `parent`. */
function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path !== '' && !path.startsWith('..') && !path.startsWith(sep) && path !== '..';
}

/** realpath of the longest existing prefix, with the missing rest appended. */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await realPathOf(parent), basename(path));
  }
}
