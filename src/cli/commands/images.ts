/** `images`: every image the cluster layer deploys, with its mirror target and digest, for a copy job. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UserInputError } from '../../common/errors.js';
import { loadPlatformModel } from '../../config/index.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

export function registerImagesCommand(program: Command, context: CommandContext): void {
  program
    .command('images')
    .description('List every image the cluster layer deploys: source, mirror target (mirror.registry) and digest, for crane, skopeo or regctl.')
    .option('--env <name...>', 'only these environments (default: all)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: { env?: string[]; format: 'text' | 'json' }) => {
      const platform = await loadPlatformModel(context.globals().config);
      const unknown = (options.env ?? []).filter((name) => !platform.environments.some((env) => env.name === name));
      if (unknown.length > 0) throw new UserInputError(`unknown environment ${unknown.join(', ')} (known: ${platform.environments.map((env) => env.name).join(', ')})`, { field: '--env' });
      const { formatImageList, listImages } = await import('../../cluster/image-list.js');
      const entries = listImages(platform, options.env ?? []);
      context.io.stdout.write(options.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : formatImageList(entries));
      const missing = entries.filter((entry) => entry.digest === undefined).length;
      if (missing > 0) context.io.stderr.write(`note: ${missing} image(s) have no recorded digest; resolve them (crane digest <source>) before copying by digest\n`);
      context.exit(ExitCode.ok);
    });
}
