import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { CommandContext, GlobalOptions } from './context.js';
import type { CliIo } from './io.js';
import { TOOL_VERSION } from '../common/version.js';

export interface BuiltProgram {
  readonly program: Command;
  /** Exit code recorded by the command that ran (0 when none was recorded). */
  readonly exitCode: () => number;
}

export function buildProgram(io: CliIo): BuiltProgram {
  let exitCode = 0;
  const program = new Command('bottlerocket-eks')
    .description('ADR-15 platform: Bottlerocket EKS clusters from one platform.yaml, with gates and compliance evidence.')
    .addOption(new Option('--config <file>', 'platform config file').default('platform.yaml').env('BOTTLEROCKET_EKS_CONFIG'))
    .option('--debug', 'print stack traces on errors', false)
    .version(TOOL_VERSION, '-V, --version', 'print the version and exit')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  const context: CommandContext = {
    io,
    globals: () => program.opts<GlobalOptions>(),
    exit: (code) => {
      exitCode = code;
    },
  };
  for (const register of COMMANDS) register(program, context);
  // Subcommands report usage errors through the same override as the root.
  const applyOverrides = (command: Command) => {
    command.exitOverride().configureOutput(program.configureOutput());
    command.commands.forEach(applyOverrides);
  };
  program.commands.forEach(applyOverrides);
  return { program, exitCode: () => exitCode };
}

export { CommanderError };
