/** `audit`: evaluate manifests against the ADR policy set (or given policies) offline. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UserInputError } from '../../common/errors.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/formats.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

interface AuditOptions {
  readonly policies?: string[];
  readonly exceptions?: string[];
  readonly format: ReportFormat;
  readonly charts?: string;
  readonly helm?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerAuditCommands(program: Command, context: CommandContext): void {
  program
    .command('audit')
    .description('Evaluate Kubernetes manifests (files, directory trees, - for stdin) against Kyverno ValidatingPolicies; exit 1 when any result is fail or error.')
    .argument('<paths...>', 'YAML/JSON files or directories; - reads stdin')
    .option('--policies <dir>', 'policy file or directory (repeatable; default: the ADR policy set)', collect)
    .option('--exceptions <dir>', 'PolicyException file or directory (repeatable; default: the ADR exceptions, unless --policies is given)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('--charts <dir>', 'chart sources (<chart>/ or <chart>-<version>.tgz) to render HelmReleases and Helm Applications from, so chart workloads are audited')
    .option('--helm <path>', 'Helm binary for --charts (default: helm on PATH)')
    .action(async (paths: string[], options: AuditOptions) => {
      const [{ loadPolicySet }, { EXCEPTION_DIR, POLICY_DIR }, { formatResults }, { auditInputs }] = await Promise.all([
        import('../../policy-engine/index.js'),
        import('../../policies/index.js'),
        import('../../report/index.js'),
        import('../../gitops-audit/index.js'),
      ]);
      const policyPaths = options.policies ?? [POLICY_DIR];
      // Custom policies come without the ADR exceptions, which name ADR policies only.
      const exceptionPaths = options.exceptions ?? (options.policies ? [] : [EXCEPTION_DIR]);
      const engine = await loadPolicySet(policyPaths, exceptionPaths);
      const { results, read, audited, notes } = await auditInputs(engine, paths, {
        ...(options.charts === undefined ? {} : { chartsDir: options.charts }),
        ...(options.helm === undefined ? {} : { helm: options.helm }),
        ...(context.io.readStdin ? { readStdin: context.io.readStdin } : {}),
        onSkipped: (file) => context.io.stderr.write(`skipped ${file.path}: ${file.reason}\n`),
      });
      // Nothing audited is not a pass: an empty folder, a wrong path or empty stdin is an input error.
      if (read === 0) throw new UserInputError(`no Kubernetes objects found in ${paths.map((path) => (path === '-' ? 'stdin' : path)).join(', ')}`);
      for (const note of notes) context.io.stderr.write(`note: ${note}\n`);
      context.io.stdout.write(formatResults(options.format, results, engine.policies(), { baseDir: context.io.cwd }));
      const policies = engine.policies().length;
      context.io.stderr.write(`audited ${audited} objects with ${policies} ${policies === 1 ? 'policy' : 'policies'}: ${results.length} results\n`);
      // An error is a verdict the engine could not reach: it never counts as passing.
      const errors = results.filter((r) => r.result === 'error');
      for (const r of errors) context.io.stderr.write(`error: ${r.source.file}:${r.source.line}: ${r.policy}: ${r.message}\n`);
      context.exit(errors.length > 0 || results.some((r) => r.result === 'fail') ? ExitCode.findings : ExitCode.ok);
    });
}
