/**
 * `releases bump` as one transaction over `platform.yaml` and the ledger. The network lookup (the
 * slow part) happens before, and outside, the lock; inside it both files are read afresh, the
 * environment and its node groups are found by name (never by a position read earlier), the plan
 * is made and both files are written together (`src/common/file-transaction.ts`). Two bumps at
 * once therefore serialise: neither loses the other's ledger entry, and an edit made to
 * `platform.yaml` during the lookup is kept, not overwritten or misapplied.
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserInputError } from '../common/errors.js';
import { withLock } from '../common/file-lock.js';
import { writeFilesTogether } from '../common/file-transaction.js';
import { MANAGED_ADDON_NAMES, parseConfig, type EnvironmentConfig, type ManagedAddonName, type NodeGroupConfig } from '../config/index.js';
import { planBump, type BumpChange } from './bump.js';
import { isoDay } from './calendar.js';
import { knownAddonVersion } from './eks-addon-versions.js';
import { appendEntries, parseLedger, type Ledger, type LedgerEntry, type LoadedLedger } from './ledger.js';
import type { PublishedRelease } from './ssm.js';
import { compareReleases, formatVariant, variantOf } from './variant.js';
import { editScalars } from './yaml-edit.js';

export interface ApplyBumpOptions {
  readonly configFile: string;
  readonly ledgerFile: string;
  readonly environment: string;
  /** `--to`: every node group moves to this release. */
  readonly to?: string;
  /** Otherwise: the latest release per variant, looked up before the transaction (`formatVariant` keys). */
  readonly latest?: ReadonlyMap<string, PublishedRelease>;
  readonly kubernetesVersion?: string;
  /** `--addon <name>=<version>`: these add-on pins move to these versions. */
  readonly addons?: Partial<Readonly<Record<ManagedAddonName, string>>>;
  /**
   * `--lookup-addons`: the default versions EKS names (`DescribeAddonVersions`, `eks-addons.ts`)
   * for the target Kubernetes version, looked up before the transaction; they move the pinned
   * add-ons `addons` does not name, ahead of the versions the repository records.
   */
  readonly addonLookup?: Partial<Readonly<Record<ManagedAddonName, string>>>;
  /** UTC day the change is applied. */
  readonly day: string;
  readonly override?: string;
  /** @default new Date() */
  readonly now?: Date;
}

export type BumpOutcome =
  | { readonly kind: 'refused'; readonly reasons: readonly string[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'written'; readonly changes: readonly BumpChange[] };

/** Waiting this long for another bump to finish is plenty: the lock is held for milliseconds. */
const LOCK_WAIT_MS = 30_000;

export async function applyBump(options: ApplyBumpOptions): Promise<BumpOutcome> {
  const lockFile = join(dirname(await realPathOr(options.ledgerFile)), '.bottlerocket-eks-releases.lock');
  return withLock(lockFile, { what: 'the promotion ledger', waitMs: LOCK_WAIT_MS }, async () => {
    const configText = await readFile(options.configFile, 'utf8');
    const platform = parseConfig(options.configFile, configText).config;
    const loadedLedger = await readLedger(options.ledgerFile);
    const env = platform.environments.find((candidate) => candidate.name === options.environment);
    if (env === undefined) throw new UserInputError(`no environment "${options.environment}" in ${options.configFile} any more; it changed while the release lookup ran`);
    const plan = planBump(platform, loadedLedger.ledger, {
      environment: env.name,
      targetFor: targetFor({ ...env, kubernetesVersion: options.kubernetesVersion ?? env.kubernetesVersion }, options),
      ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
      addonTargets: addonTargets(env, options),
      day: options.day,
      ...(options.override === undefined ? {} : { override: options.override }),
    });
    if (plan.refused) return { kind: 'refused', reasons: plan.reasons };
    if (plan.changes.length === 0) return { kind: 'unchanged' };
    const dateOverride = checkDay(loadedLedger.ledger, env.name, options.day, isoDay(options.now ?? new Date()), options.override);
    const entries = dateOverride === undefined ? plan.entries : plan.entries.map((entry): LedgerEntry => ({ ...entry, override: entry.override ?? dateOverride }));
    const newConfig = editScalars(configText, plan.edits);
    // Never write a config that would not load.
    parseConfig(options.configFile, newConfig);
    await writeFilesTogether([
      { path: options.configFile, content: newConfig },
      { path: options.ledgerFile, content: appendEntries(loadedLedger, entries) },
    ]);
    return { kind: 'written', changes: plan.changes };
  });
}

/**
 * The ledger is history: a day before the environment's latest entry would rewrite it (and could
 * fake a soak), a day after today claims what has not happened. Either needs `--override`, whose
 * reason is then recorded with the entries. Returns that reason when it was needed.
 */
export function checkDay(ledger: Ledger, environment: string, day: string, today: string, override: string | undefined): string | undefined {
  const latest = ledger.applied.filter((entry) => entry.environment === environment).reduce<string | undefined>((max, entry) => (max === undefined || entry.firstApplied > max ? entry.firstApplied : max), undefined);
  const problem =
    latest !== undefined && day < latest
      ? `--date ${day} is before ${environment}'s latest ledger entry (${latest}); the ledger records history in order`
      : day > today
        ? `--date ${day} is in the future (today is ${today} UTC)`
        : undefined;
  if (problem === undefined) return undefined;
  if (override === undefined) throw new UserInputError(`${problem}; pass --override "<reason>" to record it anyway`);
  return override;
}

/** Each node group's target by its variant as the config says now; a variant the lookup did not cover means the config changed meanwhile. */
function targetFor(env: EnvironmentConfig, options: ApplyBumpOptions): (group: NodeGroupConfig) => string {
  return (group) => {
    if (options.to !== undefined) return options.to;
    const variant = formatVariant(variantOf(env, group));
    const release = options.latest?.get(variant);
    if (release === undefined) throw new UserInputError(`${env.name}/${group.name} now runs variant ${variant}, which the release lookup did not cover (platform.yaml changed meanwhile); run the bump again`);
    return compareReleases(release.version, group.releaseVersion) > 0 ? release.version : group.releaseVersion;
  };
}

/**
 * Where each add-on pin moves: `--addon` first, then what EKS said (`addonLookup`), then, on a
 * Kubernetes version change, the version this repository records for the new minor. An add-on
 * none of them covers keeps its pin, which `planBump` refuses on a Kubernetes change.
 */
export function addonTargets(env: EnvironmentConfig, options: Pick<ApplyBumpOptions, 'addons' | 'addonLookup' | 'kubernetesVersion'>): Partial<Record<ManagedAddonName, string>> {
  const kubernetesChanges = options.kubernetesVersion !== undefined && options.kubernetesVersion !== env.kubernetesVersion;
  const targets: Partial<Record<ManagedAddonName, string>> = { ...options.addons };
  for (const addon of MANAGED_ADDON_NAMES) {
    if (env.addons[addon] === undefined || targets[addon] !== undefined) continue;
    const version = options.addonLookup?.[addon] ?? (kubernetesChanges ? knownAddonVersion(addon, options.kubernetesVersion!)?.version : undefined);
    if (version !== undefined) targets[addon] = version;
  }
  return targets;
}

async function readLedger(file: string): Promise<LoadedLedger> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UserInputError(`cannot read the promotion ledger: ${error.message}`, { position: { file, line: 1, col: 1 } });
  });
  return text === undefined ? { file, ledger: { applied: [] } } : parseLedger(file, text);
}

async function realPathOr(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}
