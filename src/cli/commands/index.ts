/**
 * Every command, declared in one place. Each module registers its own subcommands; the
 * library code they call lives in the concern's folder under src/.
 */
import type { RegisterCommand } from '../context.js';
import { registerConfigCommands } from './config.js';
import { registerSynthCommand } from './synth.js';
import { registerDeployCommand } from './deploy.js';
import { registerCisCommands } from './cis.js';
import { registerReleasesCommands } from './releases.js';
import { registerPolicyCommands } from './policy.js';
import { registerAuditCommands } from './audit.js';
import { registerCheckCommand } from './check.js';
import { registerImagesCommand } from './images.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerConfigCommands,
  registerSynthCommand,
  registerDeployCommand,
  registerCheckCommand,
  registerCisCommands,
  registerReleasesCommands,
  registerPolicyCommands,
  registerAuditCommands,
  registerImagesCommand,
];
