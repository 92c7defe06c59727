import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** Global options every command sees (declared once in `program.ts`). */
export interface GlobalOptions {
  readonly config: string;
  readonly debug: boolean;
}

export interface CommandContext {
  readonly io: CliIo;
  /** Global options, resolved when the command runs. */
  readonly globals: () => GlobalOptions;
  /** Record the exit code of the command that ran. */
  readonly exit: (code: number) => void;
}

/** A command module adds its command(s) to the program; see `commands/index.ts`. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
