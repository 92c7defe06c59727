/**
 * The promotion ledger, `releases.lock.yaml` beside `platform.yaml`: which release or
 * Kubernetes version each environment (and node group) first ran on which day, and any
 * emergency override with its reason. The promotion rule reads nothing else, so the ledger is
 * committed and reviewed like the config it describes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Document, isSeq, YAMLSeq } from 'yaml';
import { z } from 'zod';
import { UserInputError, UserInputErrors } from '../common/errors.js';
import { formatFieldPath, parseYamlSource, positionOf, type YamlSource } from '../common/yaml-source.js';
import { toYaml } from '../common/yaml-writer.js';
import { kubernetesVersion, releaseVersion } from '../config/schema.js';
import { isIsoDay } from './calendar.js';

export const LEDGER_FILE = 'releases.lock.yaml';

const LEDGER_HEADER = [
  ' Promotion ledger (ADR15-PROMO-1): the day each environment first ran a Bottlerocket release',
  ' or Kubernetes version. Written by `bottlerocket-eks releases bump`; read by `releases check`',
  ' and by synth, which refuses a version that an earlier environment in promotion.order has not',
  ' run for promotion.soakDays. Entries are history: never delete one.',
].join('\n');

/** An override is read by auditors later; a word or two does not explain an emergency. */
export const OVERRIDE_MIN_LENGTH = 20;

export const ledgerEntrySchema = z
  .strictObject({
    environment: z.string().min(1).describe('Environment name from platform.yaml.'),
    nodeGroup: z.string().min(1).optional().describe('Node group, for a release version.'),
    releaseVersion: releaseVersion.optional(),
    kubernetesVersion: kubernetesVersion.optional(),
    firstApplied: z.string().refine(isIsoDay, 'must be a calendar day in YYYY-MM-DD form').describe('UTC day the version was first applied.'),
    override: z
      .string()
      .min(OVERRIDE_MIN_LENGTH, `an override needs a written reason of at least ${OVERRIDE_MIN_LENGTH} characters`)
      .optional()
      .describe('Why the promotion rule was bypassed (emergency security fix); shown as a suppressed finding.'),
  })
  .superRefine((entry, ctx) => {
    if ((entry.releaseVersion === undefined) === (entry.kubernetesVersion === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'an entry records exactly one of `releaseVersion` or `kubernetesVersion`' });
    }
    if (entry.releaseVersion !== undefined && entry.nodeGroup === undefined) {
      ctx.addIssue({ code: 'custom', path: ['nodeGroup'], message: 'a release entry names its node group' });
    }
    if (entry.kubernetesVersion !== undefined && entry.nodeGroup !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['nodeGroup'], message: 'a Kubernetes version applies to the whole environment; drop `nodeGroup`' });
    }
  });

export const ledgerSchema = z.strictObject({
  applied: z.array(ledgerEntrySchema).default([]).describe('Versions first applied, oldest first.'),
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type Ledger = z.infer<typeof ledgerSchema>;

/** A release runs per node group; a Kubernetes version per environment. */
export type Subject = { readonly kind: 'release'; readonly version: string } | { readonly kind: 'kubernetes'; readonly version: string };

export interface LoadedLedger {
  readonly file: string;
  readonly ledger: Ledger;
  /** Absent when the file does not exist yet. */
  readonly source?: YamlSource;
}

export function ledgerPathFor(configFile: string): string {
  return join(dirname(configFile), LEDGER_FILE);
}

/** Read and validate the ledger; a missing file is an empty ledger (nothing recorded yet). */
export async function loadLedger(file: string): Promise<LoadedLedger> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, ledger: { applied: [] } };
    throw new UserInputError(`cannot read the promotion ledger: ${(error as Error).message}`, { position: { file, line: 1, col: 1 } });
  }
  return parseLedger(file, text);
}

export function parseLedger(file: string, text: string): LoadedLedger {
  const source = parseYamlSource(file, text);
  const result = ledgerSchema.safeParse(source.document.toJS() ?? {});
  if (result.success) return { file, ledger: result.data, source };
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const field = formatFieldPath(path) || '(root)';
    return new UserInputError(issue.message, { position: positionOf(source, path), field, rule: 'ADR15-PROMO-1' });
  });
  throw errors.length === 1 ? errors[0]! : new UserInputErrors(errors);
}

function matches(entry: LedgerEntry, environment: string, subject: Subject): boolean {
  if (entry.environment !== environment) return false;
  return subject.kind === 'release' ? entry.releaseVersion === subject.version : entry.kubernetesVersion === subject.version;
}

/** The entry recording that `environment` (and, for a release, `nodeGroup`) runs `subject`; the earliest if several. */
export function recordOf(ledger: Ledger, environment: string, subject: Subject, nodeGroup?: string): LedgerEntry | undefined {
  return earliest(ledger.applied.filter((entry) => matches(entry, environment, subject) && (nodeGroup === undefined || entry.nodeGroup === nodeGroup)));
}

/** First day any part of `environment` ran `subject`, counting only entries on or before `asOf`. */
export function firstRunDay(ledger: Ledger, environment: string, subject: Subject, asOf: string): string | undefined {
  return earliest(ledger.applied.filter((entry) => matches(entry, environment, subject) && entry.firstApplied <= asOf))?.firstApplied;
}

function earliest(entries: readonly LedgerEntry[]): LedgerEntry | undefined {
  return entries.reduce<LedgerEntry | undefined>((first, entry) => (first === undefined || entry.firstApplied < first.firstApplied ? entry : first), undefined);
}

/**
 * The ledger text with `entries` appended. An existing file is edited through its parsed
 * document, so the header and any hand-written comments stay; a new file gets the header.
 */
export function appendEntries(loaded: LoadedLedger, entries: readonly LedgerEntry[]): string {
  const document = loaded.source?.document ?? new Document({ applied: [] });
  if (!loaded.source) document.commentBefore = LEDGER_HEADER;
  const existing = document.get('applied', true);
  const applied = isSeq(existing) ? existing : new YAMLSeq();
  if (applied !== existing) document.set('applied', applied);
  // A flow sequence (`applied: []`) would put every entry on one line.
  applied.flow = false;
  for (const entry of entries) applied.items.push(document.createNode(entry));
  return toYaml(document);
}
