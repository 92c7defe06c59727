/**
 * Entry point of the `bottlerocket-eks` command. Only terminal concerns live in src/cli:
 * parsing flags, printing, choosing exit codes. Exit codes: 0 clean, 1 findings,
 * 2 bad input or usage, 10 updates available (`releases check`).
 */
import { UserInputError } from '../common/errors.js';
import { buildProgram, CommanderError } from './program.js';
import { ExitCode, processIo, type CliIo } from './io.js';

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const { program, exitCode } = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    const debug = argv.includes('--debug');
    if (error instanceof UserInputError) {
      io.stderr.write(`error: ${error.format()}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return ExitCode.badInput;
    }
    io.stderr.write(`internal error: ${(error as Error).message ?? String(error)}\n`);
    io.stderr.write(debug ? `${(error as Error).stack}\n` : 'run again with --debug for a stack trace\n');
    return ExitCode.badInput;
  }
}
