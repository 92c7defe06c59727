/**
 * Entry point of the `bottlerocket-eks` command. Only terminal concerns live in src/cli:
 * parsing flags, printing, choosing exit codes. Exit codes: 0 clean, 1 findings,
 * 2 bad input or usage, 10 updates available (`releases check`), 70 internal error (a bug).
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
    return reportError(error, io, argv.includes('--debug'));
  }
}

/**
 * Print an error the way its kind deserves and pick the exit code: usage and input errors are
 * the user's to fix (2, one line); anything else is the tool's fault (70, with a request to report it).
 */
export function reportError(error: unknown, io: Pick<CliIo, 'stderr'>, debug: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; commander already printed usage errors.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof UserInputError) {
    io.stderr.write(`error: ${error.format()}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return ExitCode.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`internal error: ${message}\n`);
  io.stderr.write(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'this is a bug; rerun with --debug for a stack trace and report it\n');
  return ExitCode.internalError;
}
