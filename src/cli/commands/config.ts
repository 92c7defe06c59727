/** `config validate` and `config schema`: check platform.yaml, print or write its JSON Schema. */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../common/atomic-output.js';
import { loadPlatformModel, platformJsonSchema } from '../../config/index.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

export function registerConfigCommands(program: Command, context: CommandContext): void {
  const config = program.command('config').description('Check platform.yaml and produce its JSON Schema.');

  config
    .command('validate')
    .description('Validate the config file (--config): its shape and everything derived from it (names, node groups, network, GitOps prerequisites); exit 2 with file:line:col on errors.')
    .action(async () => {
      const { config: file } = context.globals();
      const platform = await loadPlatformModel(file);
      context.io.stdout.write(`${file}: ok (${platform.environments.length} environments: ${platform.promotion.order.join(' → ')})\n`);
      context.exit(ExitCode.ok);
    });

  config
    .command('schema')
    .description('Print the JSON Schema of platform.yaml, or write it with --out (platform.schema.json is committed for editors).')
    .option('--out <file>', 'write the schema to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(platformJsonSchema(), null, 2)}\n`;
      if (options.out) await writeFileAtomic(options.out, text);
      else context.io.stdout.write(text);
      context.exit(ExitCode.ok);
    });
}
