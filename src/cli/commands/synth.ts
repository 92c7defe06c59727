/** `synth`: every environment's AWS layer (and later layers) with all gates, into --out. */
import type { Command } from 'commander';
import type { SynthResult } from '../../pipeline/synth.js';
import { tallyLine } from '../../pipeline/summary.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';
import { dayOption, runInstant, STRICT_OPTION_HELP } from '../gate-options.js';

function formatResult(result: SynthResult, strict: boolean): string {
  const lines: string[] = [];
  for (const env of result.environments) {
    const rows = Object.entries({ ...env.summary, gates: tallyLine(env) });
    const width = Math.max(...rows.map(([key]) => key.length));
    lines.push(env.name, ...rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`), '');
  }
  const shown = result.environments.flatMap((env) => env.findings.filter((finding) => finding.result === 'fail' || finding.result === 'warn').map((finding) => ({ env: env.name, finding })));
  for (const { env, finding } of shown) {
    lines.push(`${finding.result === 'warn' ? 'WARN' : 'FAIL'} ${env} ${finding.id} (${finding.source}) ${finding.resource}${finding.reason ? `: ${finding.reason}` : ''}`);
  }
  const failures = shown.filter(({ finding }) => finding.result === 'fail').length;
  const warnings = shown.length - failures;
  const blocking = strict ? `${failures} gate failure(s) and ${warnings} warning(s) (--strict)` : `${failures} gate failure(s)`;
  lines.push(result.ok ? `wrote ${result.outDir}${warnings > 0 ? ` (${warnings} warning(s))` : ''}` : `${blocking}; nothing written to ${result.outDir}`);
  return `${lines.join('\n')}\n`;
}

export function registerSynthCommand(program: Command, context: CommandContext): void {
  program
    .command('synth')
    .description('Synthesize every environment (CloudFormation, gates.json, summary.md) into --out; exit 1 if any gate fails (or, with --strict, warns), 2 on bad config.')
    .option('--out <dir>', 'output folder: absent, empty, or written by this tool (its manifest lists what it owns); its entries are replaced only when every gate passes', 'dist')
    .option('--env <name...>', 'only these environments; the others already in --out stay (default: all, in promotion order)')
    .option('--alongside', 'write the environment folders and summary.md into a folder that also holds files this tool did not write (a GitOps repository\'s clusters/ beside flux-system/); those are never touched', false)
    .addOption(dayOption('judge as of this day: soak days, suppression expiry, the EKS release calendar'))
    .option('--strict', STRICT_OPTION_HELP, false)
    .action(async (options: { out: string; env?: string[]; alongside: boolean; date?: string; strict: boolean }) => {
      // Loaded on use: aws-cdk-lib and cdk-nag take a second to import, which other commands should not pay.
      const { synthPlatform } = await import('../../pipeline/synth.js');
      const result = await synthPlatform({
        configFile: context.globals().config,
        outDir: options.out,
        alongside: options.alongside,
        cwd: context.io.cwd,
        ...(context.io.env.HOME ? { home: context.io.env.HOME } : {}),
        ...(options.env ? { environments: options.env } : {}),
        now: runInstant(options.date),
        strict: options.strict,
        progress: (line) => context.io.stderr.write(`synth ${line}\n`),
      });
      for (const entry of result.unusedSuppressions) {
        context.io.stderr.write(`note: suppression ${entry.rule} on ${entry.resource} matched no finding\n`);
      }
      context.io.stdout.write(formatResult(result, options.strict));
      context.exit(result.ok ? ExitCode.ok : ExitCode.findings);
    });
}
