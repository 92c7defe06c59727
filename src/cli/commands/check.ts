/** `check`: the template-level gates of synth (ADR-15 rules, Control Tower) over any CloudFormation templates. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { GATE_FORMATS, type GateFormat } from '../../report/formats.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

export function registerCheckCommand(program: Command, context: CommandContext): void {
  program
    .command('check')
    .description('Run the ADR-15 rules and the Control Tower controls (cfn-guard) over CloudFormation templates or cloud assembly folders; exit 0 clean, 1 findings, 2 bad input.')
    .argument('<paths...>', 'template .json files or cloud assembly folders (cdk.out)')
    .addOption(new Option('--format <format>', 'output format').choices(GATE_FORMATS).default('table'))
    .action(async (paths: string[], options: { format: GateFormat }) => {
      const [{ checkTemplates, readCheckInputs }, { formatGateFindings }] = await Promise.all([import('../../infra/check.js'), import('../../report/gate-findings.js')]);
      // Every input is read and validated before any rule runs: bad input exits 2 with no output.
      const templates = readCheckInputs(paths);
      const report = await checkTemplates(templates);
      context.io.stdout.write(formatGateFindings(options.format, report.findings, { baseDir: context.io.cwd }));
      const failed = report.findings.filter((finding) => finding.result === 'fail').length;
      context.io.stderr.write(`checked ${templates.length} template(s): ${failed} failed finding(s)\n`);
      context.exit(failed > 0 ? ExitCode.findings : ExitCode.ok);
    });
}
