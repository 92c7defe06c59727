/** `policy test`: run Kyverno CLI test suites (kyverno-test.yaml) with the offline engine. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { TestCaseResult } from '../../policy-engine/index.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../context.js';

function mismatchLine(t: TestCaseResult): string {
  return `FAIL ${t.file}: policy ${t.policy}, resource ${t.resource}: want ${t.expected}, got ${t.actual}${t.message ? ` (${t.message})` : ''}\n`;
}

export function registerPolicyCommands(program: Command, context: CommandContext): void {
  const policy = program.command('policy').description('Work with Kyverno ValidatingPolicies offline.');

  policy
    .command('test')
    .description('Run every kyverno-test.yaml under the directories; print mismatches and "N passed, N failed"; exit 1 on any failure.')
    .argument('<dir...>', 'directories to search for kyverno-test.yaml')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dirs: string[], options: { format: 'text' | 'json' }) => {
      const { runTests } = await import('../../policy-engine/index.js');
      const summary = await runTests(dirs);
      if (options.format === 'json') {
        context.io.stdout.write(`${JSON.stringify({ passed: summary.passed, failed: summary.failed, tests: summary.tests }, null, 2)}\n`);
      } else {
        for (const t of summary.tests) if (!t.ok) context.io.stdout.write(mismatchLine(t));
        context.io.stdout.write(`${summary.passed} passed, ${summary.failed} failed\n`);
      }
      context.exit(summary.failed > 0 ? ExitCode.findings : ExitCode.ok);
    });
}
