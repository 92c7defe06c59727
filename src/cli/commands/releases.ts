/** `releases check` and `releases bump`: Bottlerocket release currency and promotion (ADR15-PROMO-1). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserInputError } from '../../common/errors.js';
import {
  ADDON_VERSION_PATTERN,
  KUBERNETES_VERSION_PATTERN,
  loadConfig,
  MANAGED_ADDON_NAMES,
  RELEASE_VERSION_PATTERN,
  type EnvironmentConfig,
  type ManagedAddonName,
  type PlatformConfig,
} from '../../config/index.js';
import { ADR_RULES } from '../../gates/adr-catalogue.js';
import { applyBump, checkReleases, defaultAddonVersions, isoDay, latestReleases, ledgerPathFor, loadLedger, variantOf, type ReleaseStatus } from '../../releases/index.js';
import type { CommandContext } from '../context.js';
import { dayOption, runInstant } from '../gate-options.js';
import { ExitCode } from '../io.js';

/** `--addon vpc-cni=v1.20.1-eksbuild.3`, repeatable, into one map. */
function addonPin(value: string, previous: Partial<Record<ManagedAddonName, string>> = {}): Partial<Record<ManagedAddonName, string>> {
  const [addon, version, ...rest] = value.split('=');
  if (!(MANAGED_ADDON_NAMES as readonly string[]).includes(addon ?? '') || version === undefined || rest.length > 0) {
    throw new InvalidArgumentError(`must be <add-on>=<version> with an add-on of ${MANAGED_ADDON_NAMES.join(', ')}`);
  }
  if (!ADDON_VERSION_PATTERN.test(version)) throw new InvalidArgumentError(`${version} is not an EKS add-on version such as v1.20.1-eksbuild.3`);
  return { ...previous, [addon as ManagedAddonName]: version };
}

function findEnvironment(platform: PlatformConfig, name: string): EnvironmentConfig {
  const env = platform.environments.find((candidate) => candidate.name === name);
  if (env === undefined) throw new UserInputError(`no environment "${name}"; environments are ${platform.environments.map((e) => e.name).join(', ')}`);
  return env;
}

export function registerReleasesCommands(program: Command, context: CommandContext): void {
  const releases = program
    .command('releases')
    .description('Keep Bottlerocket releases current and promote them through promotion.order (ADR15-PROMO-1). Reads public SSM parameters with the standard AWS credential chain.');

  releases
    .command('check')
    .description('Compare pinned releases with the latest per variant from SSM; exit 0 all current, 10 updates available, 2 on errors.')
    .option('--env <name>', 'only this environment')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dayOption('judge the promotion rule as of this day'))
    .action(async (options: { env?: string; format: 'table' | 'json'; date?: string }) => {
      const { config: file } = context.globals();
      const { config: platform } = await loadConfig(file);
      const { ledger } = await loadLedger(ledgerPathFor(file));
      const now = runInstant(options.date);
      const statuses = await checkReleases(platform, ledger, options.env === undefined ? platform.environments : [findEnvironment(platform, options.env)], now, (region, variants) => latestReleases(region, variants));
      context.io.stdout.write(options.format === 'json' ? `${JSON.stringify(statuses, null, 2)}\n` : formatTable(statuses));
      context.exit(statuses.every((status) => status.current) ? ExitCode.ok : ExitCode.updatesAvailable);
    });

  releases
    .command('bump')
    .description("Move an environment's node groups to a release (default: the latest from SSM) in place, and record it in releases.lock.yaml; refused (exit 1) when the promotion rule forbids it.")
    .requiredOption('--env <name>', 'environment to bump')
    .option('--to <version>', 'release version, e.g. 1.47.0-6154605b (default: the latest for each variant)')
    .option('--kubernetes-version <version>', 'also move the environment to this Kubernetes version, e.g. 1.34 (the release default then follows the new variant)')
    .addOption(
      new Option('--addon <name=version>', 'move a pinned EKS add-on to this version (repeatable); with --kubernetes-version, each pinned add-on not named moves to the version recorded for the new minor in src/releases/eks-addon-versions.ts, else the bump is refused').argParser(addonPin),
    )
    .option('--lookup-addons', "move each pinned add-on that --addon does not name to EKS's default version for the (new) Kubernetes version, read with EKS DescribeAddonVersions in the environment's region (needs eks:DescribeAddonVersions)", false)
    .option('--override <reason>', 'bypass the promotion rule for an emergency fix; the reason is kept in the ledger and shown by synth')
    .addOption(dayOption('day the change is applied'))
    .action(async (options: { env: string; to?: string; kubernetesVersion?: string; addon?: Partial<Record<ManagedAddonName, string>>; lookupAddons: boolean; override?: string; date?: string }) => {
      const { config: file } = context.globals();
      const { config: platform } = await loadConfig(file);
      const env = findEnvironment(platform, options.env);
      const kubernetesVersion = options.kubernetesVersion ?? env.kubernetesVersion;
      if (!KUBERNETES_VERSION_PATTERN.test(kubernetesVersion)) throw new UserInputError(`--kubernetes-version ${kubernetesVersion}: must be a Kubernetes minor version such as 1.34`);
      if (options.to !== undefined && !RELEASE_VERSION_PATTERN.test(options.to)) throw new UserInputError(`--to ${options.to}: must be a release in the \`<version>-<build>\` form, e.g. 1.47.0-6154605b`);
      // The slow network lookup runs before the transaction, which re-reads both files under a lock.
      const latest = options.to === undefined ? await latestReleases(env.region, env.nodeGroups.map((group) => variantOf({ ...env, kubernetesVersion }, group))) : undefined;
      const toLookUp = options.lookupAddons ? MANAGED_ADDON_NAMES.filter((addon) => env.addons[addon] !== undefined && options.addon?.[addon] === undefined) : [];
      const addonLookup = toLookUp.length > 0 ? await defaultAddonVersions(env.region, kubernetesVersion, toLookUp) : undefined;
      const ledgerFile = ledgerPathFor(file);
      const outcome = await applyBump({
        configFile: file,
        ledgerFile,
        environment: env.name,
        ...(options.to === undefined ? {} : { to: options.to }),
        ...(latest === undefined ? {} : { latest }),
        ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion }),
        ...(options.addon === undefined ? {} : { addons: options.addon }),
        ...(addonLookup === undefined ? {} : { addonLookup }),
        day: options.date ?? isoDay(new Date()),
        ...(options.override === undefined ? {} : { override: options.override }),
      });
      if (outcome.kind === 'refused') {
        for (const reason of outcome.reasons) context.io.stderr.write(`refused [${ADR_RULES.promotion.id}]: ${reason}\n`);
        context.exit(ExitCode.findings);
        return;
      }
      if (outcome.kind === 'unchanged') {
        context.io.stdout.write(`${env.name}: already on its target versions, and the ledger records them\n`);
        context.exit(ExitCode.ok);
        return;
      }
      for (const change of outcome.changes) {
        const to = change.subject.version;
        const what = change.from === to ? `${to} (recorded)` : `${change.from} → ${to}`;
        context.io.stdout.write(`${change.target}: ${what}${change.overridden ? ` OVERRIDE: ${options.override}` : ''}\n`);
      }
      context.io.stdout.write(`recorded in ${ledgerFile}\n`);
      context.exit(ExitCode.ok);
    });
}

function formatTable(statuses: readonly ReleaseStatus[]): string {
  const header = ['ENVIRONMENT', 'NODE GROUP', 'VARIANT', 'PINNED', 'LATEST', 'BEHIND', 'MAY TAKE NOW'];
  const rows = statuses.map((status) => [
    status.environment,
    status.nodeGroup,
    status.variant,
    status.pinned,
    status.latest,
    status.current ? 'current' : `${status.releasesBehind} release(s)${status.daysBehind === undefined ? '' : `, ${status.daysBehind} day(s)`}`,
    status.current ? '-' : status.mayTakeNow ? 'yes' : `no: ${status.promotion}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}\n`;
  const behind = statuses.filter((status) => !status.current).length;
  return `${[header, ...rows].map(line).join('')}\n${behind === 0 ? 'all node groups run the latest release' : `${behind} of ${statuses.length} node group(s) behind`}\n`;
}
