/**
 * Every command, declared in one place. Each module registers its own subcommands; the
 * library code they call lives in the concern's folder under src/.
 */
import type { RegisterCommand } from '../context.js';
import { registerConfigCommands } from './config.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerConfigCommands,
];
