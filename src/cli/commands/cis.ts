/** `cis collect` (on a node, in the cluster) and `cis report` (anywhere: evidence to table/json/junit/oscal). */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UserInputError } from '../../common/errors.js';
import { loadPlatformModel, type PlatformModel } from '../../config/index.js';
import type { CollectOptions } from '../../cis/collector/collect.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

interface CollectFlags {
  socket: string;
  bucket: string;
  cluster: string;
  node: string;
  levels: string;
  instanceId?: string;
  loop: boolean;
  intervalHours: string;
  s3Endpoint?: string;
  region?: string;
}

interface ReportFlags {
  format: 'table' | 'json' | 'junit' | 'oscal';
  now?: string;
  intervalHours?: string;
  graceHours?: string;
  env?: string;
  cluster?: string;
  node?: string;
  failOnStale: boolean;
  allowEmpty: boolean;
  s3Endpoint?: string;
  region?: string;
}

/** A year: longer cadences are typos, and would overflow timers and date arithmetic. */
const MAX_HOURS = 8_760;

function hoursFlag(flag: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > MAX_HOURS) throw new UserInputError(`${flag} must be a whole number >= ${min} and <= ${MAX_HOURS} (hours), got ${JSON.stringify(value)}`);
  return Number(value);
}

export function registerCisCommands(program: Command, context: CommandContext): void {
  const cis = program.command('cis').description('CIS benchmark evidence: collect on nodes, report across the fleet.');

  cis
    .command('collect')
    .description('On a Bottlerocket node: read the CIS reports over the API socket and store them in the evidence bucket (one JSON log line per report on stderr). Exit 1 if any report was not stored.')
    .addOption(new Option('--socket <path>', 'Bottlerocket API socket').default('/run/api.sock').env('BOTTLEROCKET_API_SOCKET'))
    .addOption(new Option('--bucket <name>', 'evidence bucket').env('CIS_EVIDENCE_BUCKET').makeOptionMandatory())
    .addOption(new Option('--cluster <name>', 'cluster name recorded in the evidence').env('CLUSTER_NAME').makeOptionMandatory())
    .addOption(new Option('--node <name>', 'Kubernetes node name (downward API)').env('NODE_NAME').makeOptionMandatory())
    .addOption(new Option('--levels <list>', 'Kubernetes benchmark levels, comma-separated').default('1,2').env('CIS_KUBERNETES_LEVELS'))
    .addOption(new Option('--instance-id <id>', 'EC2 instance id; default: read from the Node object\'s providerID (in-cluster)').env('INSTANCE_ID'))
    .addOption(new Option('--loop', 'keep running: collect now, then every --interval-hours (DaemonSet mode)').default(false))
    .addOption(new Option('--interval-hours <n>', 'hours between collections with --loop').default('24').env('CIS_INTERVAL_HOURS'))
    .addOption(new Option('--s3-endpoint <url>', 'S3-compatible endpoint (path-style); default: AWS').env('CIS_S3_ENDPOINT'))
    .addOption(new Option('--region <region>', 'AWS region; default: the SDK chain (AWS_REGION)'))
    .action(async (flags: CollectFlags) => {
      const levels = flags.levels.split(',').map((l) => l.trim());
      if (levels.length === 0 || levels.some((l) => l !== '1' && l !== '2')) throw new UserInputError(`--levels must list 1 and/or 2, got ${JSON.stringify(flags.levels)}`);
      const intervalHours = hoursFlag('--interval-hours', flags.intervalHours, 1);
      // Loaded on use, like every command's libraries, so start-up stays small on the node.
      const [{ collectEvery, collectOnce }, { unixSocketApi }, { instanceIdFromNode }, { s3Client }] = await Promise.all([
        import('../../cis/collector/collect.js'),
        import('../../cis/collector/bottlerocket-api.js'),
        import('../../cis/collector/instance-id.js'),
        import('../../cis/s3.js'),
      ]);
      const log = (line: Readonly<Record<string, unknown>>) => context.io.stderr.write(`${JSON.stringify(line)}\n`);
      const options: CollectOptions = {
        cluster: flags.cluster,
        node: flags.node,
        bucket: flags.bucket,
        kubernetesLevels: levels.map((l) => (l === '1' ? 1 : 2)),
        api: unixSocketApi(flags.socket),
        s3: s3Client({
          ...(flags.region ? { region: flags.region } : {}),
          ...(flags.s3Endpoint ? { endpoint: flags.s3Endpoint } : {}),
          // Every retry the SDK makes is a line in the node's log, so stuck evidence is visible.
          onRetry: (event) => log({ time: new Date().toISOString(), severity: 'warning', message: 'retrying', operation: 'S3 PutObject', cluster: flags.cluster, node: flags.node, attempt: event.attempt, error: event.error }),
        }),
        instanceId: flags.instanceId ? async () => flags.instanceId : () => instanceIdFromNode(flags.node),
        log,
      };
      if (flags.loop) {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
        await collectEvery(options, intervalHours, stop.signal);
        context.exit(ExitCode.ok);
        return;
      }
      const outcomes = await collectOnce(options);
      context.exit(outcomes.some((o) => o.error) ? ExitCode.findings : ExitCode.ok);
    });

  cis
    .command('report')
    .description('Read CIS reports (folders, files, s3://bucket/prefix), validate them strictly and aggregate per environment, cluster, node and check. Exit 1 on any FAIL, on conflicting reports for one node and time (or stale evidence with --fail-on-stale); 2 on a malformed or future-dated report, or no report at all.')
    .argument('<inputs...>', 'report folders or files (.json, .txt) or s3://bucket/prefix URLs')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'junit', 'oscal']).default('table'))
    .option('--now <iso>', 'evaluate freshness as of this time (default: now)')
    .option('--interval-hours <n>', 'expected reporting interval (default: the environment\'s cis.intervalHours, else 24)')
    .option('--grace-hours <n>', 'grace before evidence counts as stale (default: cis.graceHours, else 6)')
    .option('--env <name>', 'environment of all the reports, with its cadence from --config; default: each cluster\'s environment from --config')
    .option('--cluster <name>', 'cluster of loose reports whose path does not name one')
    .option('--node <name>', 'node of loose reports whose path does not name one')
    .option('--fail-on-stale', 'exit 1 when any node\'s evidence is stale or missing', false)
    .option('--allow-empty', 'exit 0 when the inputs hold no report at all (default: exit 2, no evidence is not a pass)', false)
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (path-style) for s3:// inputs')
    .option('--region <region>', 'AWS region for s3:// inputs')
    .action(async (inputs: string[], flags: ReportFlags) => {
      const now = flags.now === undefined ? new Date() : new Date(flags.now);
      if (Number.isNaN(now.getTime()) || (flags.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(flags.now))) throw new UserInputError(`--now must be an ISO 8601 time, got ${JSON.stringify(flags.now)}`);
      const platform = await platformIfPresent(context.globals().config, flags.env);
      const cadences = Object.fromEntries((platform?.environments ?? []).map((e) => [e.name, { intervalHours: e.cis.intervalHours, graceHours: e.cis.graceHours }]));
      const selected = flags.env ? cadences[flags.env] : undefined;
      const window = {
        now,
        intervalHours: flags.intervalHours === undefined ? (selected?.intervalHours ?? 24) : hoursFlag('--interval-hours', flags.intervalHours, 1),
        graceHours: flags.graceHours === undefined ? (selected?.graceHours ?? 6) : hoursFlag('--grace-hours', flags.graceHours, 0),
        // Explicit flags or --env set one cadence for all; otherwise each environment keeps its own.
        ...(platform && !flags.env && flags.intervalHours === undefined && flags.graceHours === undefined ? { environments: cadences } : {}),
      };
      const clusters = new Map((platform?.environments ?? []).map((e) => [e.clusterName, e.name]));
      const hints = {
        ...(flags.env ? { environment: flags.env } : { environmentOf: (cluster: string) => clusters.get(cluster) }),
        ...(flags.cluster ? { cluster: flags.cluster } : {}),
        ...(flags.node ? { node: flags.node } : {}),
      };
      const [{ ingest }, { s3Client }, { formatTable }, { formatJson }, { formatJunit }, { formatOscal }] = await Promise.all([
        import('../../cis/ingest.js'),
        import('../../cis/s3.js'),
        import('../../cis/formats/table.js'),
        import('../../cis/formats/json.js'),
        import('../../cis/formats/junit.js'),
        import('../../cis/formats/oscal.js'),
      ]);
      const { reports, fleet } = await ingest(inputs, hints, window, () =>
        s3Client({ ...(flags.region ? { region: flags.region } : {}), ...(flags.s3Endpoint ? { endpoint: flags.s3Endpoint } : {}) }),
        { allowEmpty: flags.allowEmpty, onSkipped: (file) => context.io.stderr.write(`skipped ${file.path}: ${file.reason}\n`) },
      );
      const output = { table: formatTable, json: formatJson, junit: formatJunit, oscal: (f: typeof fleet) => formatOscal(f, reports) }[flags.format](fleet);
      context.io.stdout.write(output);
      const findings = fleet.failures.length > 0 || fleet.conflicts.length > 0 || (flags.failOnStale && fleet.stale.length > 0);
      context.exit(findings ? ExitCode.findings : ExitCode.ok);
    });
}

/**
 * platform.yaml, when it is there: it maps cluster names to environments and gives each its
 * cadence. `cis report` also runs where no config exists (an auditor's copy of the bucket).
 */
async function platformIfPresent(configFile: string, env: string | undefined): Promise<PlatformModel | undefined> {
  if (!existsSync(configFile)) return undefined;
  const config = await loadPlatformModel(configFile);
  if (env && !config.environments.some((e) => e.name === env)) {
    throw new UserInputError(`--env ${env}: no such environment in ${configFile} (have ${config.environments.map((e) => e.name).join(', ')})`);
  }
  return config;
}
