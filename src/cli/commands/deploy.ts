/** `deploy --env NAME`: synthesize with every gate, then deploy that environment's gated assembly. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

export function registerDeployCommand(program: Command, context: CommandContext): void {
  program
    .command('deploy')
    .description(
      "Run synth (every gate) for one environment, then `cdk deploy` its gated assembly (<out>/<env>/cdk.out) without synthesizing again; exit 1 if a gate fails, 2 on bad input, else the CDK CLI's exit code.",
    )
    .requiredOption('--env <name>', 'environment to deploy')
    .option('--out <dir>', 'synth output folder', 'dist')
    .option('--no-synth', 'deploy the existing gated output of an earlier `synth` instead of running it again')
    .addOption(new Option('--require-approval <level>', 'which changes need confirmation (cdk deploy)').choices(['never', 'any-change', 'broadening']).default('broadening'))
    .option('--import-existing-resources', 'rebuild after teardown: adopt the retained, named resources (evidence bucket, log groups) instead of failing', false)
    .option('--outputs-file <file>', 'write the stack outputs to this JSON file')
    .action(async (options: { env: string; out: string; synth: boolean; requireApproval: 'never' | 'any-change' | 'broadening'; importExistingResources: boolean; outputsFile?: string }) => {
      if (options.synth) {
        const { synthPlatform } = await import('../../pipeline/synth.js');
        const result = await synthPlatform({
          configFile: context.globals().config,
          outDir: options.out,
          environments: [options.env],
          progress: (line) => context.io.stderr.write(`synth ${line}\n`),
        });
        if (!result.ok) {
          context.io.stderr.write(`deploy: gates failed for ${options.env}; run \`bottlerocket-eks synth --env ${options.env}\` for the findings. Nothing deployed.\n`);
          context.exit(ExitCode.findings);
          return;
        }
      }
      const { planDeploy } = await import('../../deploy/gated-assembly.js');
      const { cdkDeployArguments, runCdkCli } = await import('../../deploy/cdk-cli.js');
      const plan = await planDeploy(options.out, options.env);
      const args = cdkDeployArguments(plan, options);
      context.io.stderr.write(`deploy: cdk ${args.join(' ')}\n`);
      context.exit(await runCdkCli(args, context.io.env));
    });
}
