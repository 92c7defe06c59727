/**
 * `releases bump`: move one environment's node groups to a release (and, optionally, the
 * environment to a Kubernetes version), but only as far as the promotion rule allows, and say in
 * the ledger that it happened. Planning is pure; the CLI writes the two files.
 */
import { UserInputError } from '../common/errors.js';
import { MANAGED_ADDON_NAMES, type ManagedAddonName, type NodeGroupConfig, type PlatformConfig } from '../config/index.js';
import { OVERRIDE_MIN_LENGTH, recordOf, type Ledger, type LedgerEntry, type Subject } from './ledger.js';
import { promotionVerdict } from './promotion.js';
import type { ScalarEdit } from './yaml-edit.js';

export interface BumpRequest {
  readonly environment: string;
  /** Release each node group should run: `--to`, or the latest for its variant. */
  readonly targetFor: (group: NodeGroupConfig) => string;
  /** Kubernetes version the environment should run; absent keeps the current one. */
  readonly kubernetesVersion?: string;
  /**
   * Version each pinned add-on should run (`--addon`, else the version known for the new
   * Kubernetes version). A pinned add-on absent here keeps its pin, unless the Kubernetes
   * version changes: then the bump is refused, because its pin was chosen for the old one.
   */
  readonly addonTargets?: Partial<Readonly<Record<ManagedAddonName, string>>>;
  /** UTC day the change is applied (YYYY-MM-DD). */
  readonly day: string;
  /** Written reason to bypass the promotion rule (emergency security fix). */
  readonly override?: string;
}

export interface BumpChange {
  /** `<env>/kubernetesVersion`, `<env>/<node group>` or `<env>/addons/<add-on>`. */
  readonly target: string;
  readonly subject: Subject;
  readonly from: string;
  /** Set when the promotion rule refused and the override let it through. */
  readonly overridden?: string;
}

export type BumpPlan =
  | { readonly refused: false; readonly changes: readonly BumpChange[]; readonly entries: readonly LedgerEntry[]; readonly edits: readonly ScalarEdit[] }
  | { readonly refused: true; readonly reasons: readonly string[] };

interface Move {
  readonly target: string;
  readonly subject: Subject;
  readonly from: string;
  readonly path: ReadonlyArray<string | number>;
  readonly nodeGroup?: string;
}

/**
 * A version changes when it differs from the pin, or equals it without a ledger record (a hand
 * edit being recorded after the fact); each change must pass the promotion rule or carry an override.
 */
export function planBump(platform: PlatformConfig, ledger: Ledger, request: BumpRequest): BumpPlan {
  const envIndex = platform.environments.findIndex((env) => env.name === request.environment);
  const env = platform.environments[envIndex];
  if (env === undefined) {
    throw new UserInputError(`no environment "${request.environment}"; environments are ${platform.environments.map((e) => e.name).join(', ')}`);
  }
  if (request.override !== undefined && request.override.trim().length < OVERRIDE_MIN_LENGTH) {
    throw new UserInputError(`--override needs a written reason of at least ${OVERRIDE_MIN_LENGTH} characters; it is kept in the ledger and shown in every synth summary`);
  }
  const reasons = new Set<string>();
  const moves: Move[] = [
    ...(request.kubernetesVersion === undefined
      ? []
      : [{ target: `${env.name}/kubernetesVersion`, subject: { kind: 'kubernetes', version: request.kubernetesVersion } as const, from: env.kubernetesVersion, path: ['environments', envIndex, 'kubernetesVersion'] }]),
    ...env.nodeGroups.map((group, groupIndex) => ({
      target: `${env.name}/${group.name}`,
      subject: { kind: 'release', version: request.targetFor(group) } as const,
      from: group.releaseVersion,
      path: ['environments', envIndex, 'nodeGroups', groupIndex, 'releaseVersion'],
      nodeGroup: group.name,
    })),
    ...addonMoves(env, envIndex, request, reasons),
  ];
  const changes: BumpChange[] = [];
  const edits: ScalarEdit[] = [];
  const entries: LedgerEntry[] = [];
  for (const move of moves) {
    if (move.subject.version === move.from && recordOf(ledger, env.name, move.subject, move.nodeGroup) !== undefined) continue;
    const verdict = promotionVerdict(platform, ledger, env.name, move.subject, request.day);
    if (!verdict.allowed && request.override === undefined) {
      reasons.add(verdict.reason);
      continue;
    }
    const override = verdict.allowed ? undefined : request.override;
    changes.push({ target: move.target, subject: move.subject, from: move.from, ...(verdict.allowed ? {} : { overridden: verdict.reason }) });
    if (move.subject.version !== move.from) edits.push({ path: move.path, value: move.subject.version });
    entries.push({
      environment: env.name,
      ...ledgerFields(move),
      firstApplied: request.day,
      ...(override === undefined ? {} : { override }),
    });
  }
  if (reasons.size > 0) return { refused: true, reasons: [...reasons] };
  return { refused: false, changes, entries, edits };
}

/** What a ledger entry records of a move: the version under its kind's field (and the node group of a release). */
function ledgerFields(move: Move): Pick<LedgerEntry, 'nodeGroup' | 'releaseVersion' | 'kubernetesVersion' | 'addon' | 'addonVersion'> {
  switch (move.subject.kind) {
    case 'release':
      return { nodeGroup: move.nodeGroup, releaseVersion: move.subject.version };
    case 'kubernetes':
      return { kubernetesVersion: move.subject.version };
    case 'addon':
      return { addon: move.subject.addon, addonVersion: move.subject.version };
  }
}

/**
 * The pinned add-ons' moves: each to its target, or kept. A Kubernetes version change without a
 * target for a pinned add-on is refused (`reasons`): its pin was chosen for the old version, and
 * no version is invented. An add-on the config does not pin cannot be given a target here: the
 * bump edits values in place and adds no keys.
 */
function addonMoves(env: PlatformConfig['environments'][number], envIndex: number, request: BumpRequest, reasons: Set<string>): Move[] {
  const kubernetesChanges = request.kubernetesVersion !== undefined && request.kubernetesVersion !== env.kubernetesVersion;
  for (const addon of Object.keys(request.addonTargets ?? {}) as ManagedAddonName[]) {
    if (env.addons[addon] === undefined) {
      throw new UserInputError(`${env.name} does not pin add-on ${addon}: add \`${addon}: <version>\` under environments[${env.name}].addons in platform.yaml, then bump again to record it`);
    }
  }
  return MANAGED_ADDON_NAMES.flatMap((addon): Move[] => {
    const pinned = env.addons[addon];
    if (pinned === undefined) return [];
    const target = request.addonTargets?.[addon];
    if (target === undefined && kubernetesChanges) {
      reasons.add(
        `no version of add-on ${addon} is known for Kubernetes ${request.kubernetesVersion} (src/releases/eks-addon-versions.ts); pass --addon ${addon}=<version> from \`aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version ${request.kubernetesVersion}\`, or --lookup-addons to take EKS's default`,
      );
      return [];
    }
    return [{ target: `${env.name}/addons/${addon}`, subject: { kind: 'addon', addon, version: target ?? pinned }, from: pinned, path: ['environments', envIndex, 'addons', addon] }];
  });
}
