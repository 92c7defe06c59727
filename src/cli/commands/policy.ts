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
    .description('Run every kyverno-test.yaml under the directories in one go; print mismatches, suites that do not load and unsupported suites, then "N passed, N failed"; exit 1 on any failure, 2 when a suite does not load.')
    .argument('<dir...>', 'directories to search for kyverno-test.yaml')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dirs: string[], options: { format: 'text' | 'json' }) => {
      const { runTests } = await import('../../policy-engine/index.js');
      const summary = await runTests(dirs);
      if (options.format === 'json') {
        const { passed, failed, unsupported, problems, tests } = summary;
        context.io.stdout.write(`${JSON.stringify({ passed, failed, unsupported, problems, tests }, null, 2)}\n`);
      } else {
        for (const t of summary.tests) if (!t.ok) context.io.stdout.write(mismatchLine(t));
        for (const u of summary.unsupported) context.io.stdout.write(`UNSUPPORTED ${u.file}: ${u.reason}\n`);
        const extra = [summary.unsupported.length ? `${summary.unsupported.length} unsupported` : '', summary.problems.length ? `${summary.problems.length} not loaded` : '']
          .filter(Boolean)
          .map((x) => ` (${x} suites)`)
          .join('');
        context.io.stdout.write(`${summary.passed} passed, ${summary.failed} failed${extra}\n`);
      }
      // A suite that does not load is bad input: all of them are reported together, on stderr with
      // file and line, and the run exits 2; an unsupported suite is reported, not failed.
      for (const p of summary.problems) context.io.stderr.write(`${p.message.split('\n').map((line) => `error: ${line}`).join('\n')}\n`);
      context.exit(summary.problems.length > 0 ? ExitCode.badInput : summary.failed > 0 ? ExitCode.findings : ExitCode.ok);
    });
}
