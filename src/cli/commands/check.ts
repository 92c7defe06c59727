/** `check`: the template-level gates of synth (ADR-15 rules, Control Tower) over any CloudFormation templates. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { findingsBlock, tallyFindings } from '../../gates/finding.js';
import { GATE_FORMATS, type GateFormat } from '../../report/formats.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';
import { isoDay } from '../../releases/index.js';
import { dayOption, runInstant, STRICT_OPTION_HELP } from '../gate-options.js';

export function registerCheckCommand(program: Command, context: CommandContext): void {
  program
    .command('check')
    .description('Run the ADR-15 rules and the Control Tower controls (cfn-guard) over CloudFormation templates or cloud assembly folders; exit 0 clean (warnings allowed), 1 failed findings (or warnings with --strict), 2 bad input.')
    .argument('<paths...>', 'template .json files or cloud assembly folders (cdk.out)')
    .addOption(new Option('--format <format>', 'output format').choices(GATE_FORMATS).default('table'))
    .addOption(dayOption('judge the EKS release calendar (ADR15-VER-1) as of this day'))
    .option('--strict', STRICT_OPTION_HELP, false)
    .action(async (paths: string[], options: { format: GateFormat; date?: string; strict: boolean }) => {
      const [{ checkTemplates, readCheckInputs }, { formatGateFindings }] = await Promise.all([import('../../gates/check.js'), import('../../report/gate-findings.js')]);
      // Every input is read and validated before any rule runs: bad input exits 2 with no output.
      const templates = readCheckInputs(paths);
      const report = await checkTemplates(templates, isoDay(runInstant(options.date)));
      context.io.stdout.write(formatGateFindings(options.format, report.findings, { baseDir: context.io.cwd }));
      const tally = tallyFindings(report.findings);
      context.io.stderr.write(`checked ${templates.length} template(s): ${tally.failed} failed finding(s), ${tally.warned} warning(s)${options.strict && tally.warned > 0 ? ' (--strict: warnings fail)' : ''}\n`);
      context.exit(findingsBlock(tally, options.strict) ? ExitCode.findings : ExitCode.ok);
    });
}
