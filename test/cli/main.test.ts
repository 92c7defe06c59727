import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { UserInputError } from '../../src/common/errors.js';
import { reportError } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

describe('bottlerocket-eks CLI frame', () => {
  test('--help lists the commands and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: bottlerocket-eks/);
    expect(run.stdout).toMatch(/--config <file>/);
  });

  test('an unknown command is a usage error: exit 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  test('config validate on the example exits 0', async () => {
    const run = await runCli(['config', 'validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/platform\.yaml: ok \(3 environments: dev → staging → prod\)/);
  });

  test('config validate on a missing file exits 2 with a one-line error and no stack trace', async () => {
    const run = await runCli(['--config', 'does-not-exist.yaml', 'config', 'validate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: does-not-exist\.yaml:1:1: cannot read config file/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('exit codes and version', () => {
  test('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });

  test('an internal error exits 70 with a bug line, not the bad-input code 2', () => {
    let stderr = '';
    const code = reportError(new TypeError("Cannot read properties of undefined (reading 'name')"), { stderr: { write: (chunk: string) => (stderr += chunk) } }, false);
    expect(code).toBe(70);
    expect(stderr).toBe("internal error: Cannot read properties of undefined (reading 'name')\nthis is a bug; rerun with --debug for a stack trace and report it\n");
  });

  test('with --debug an internal error prints its stack', () => {
    let stderr = '';
    const code = reportError(new Error('boom'), { stderr: { write: (chunk: string) => (stderr += chunk) } }, true);
    expect(code).toBe(70);
    expect(stderr).toMatch(/^internal error: boom\nError: boom\n\s+at /);
  });

  test('bad input stays exit 2', () => {
    let stderr = '';
    expect(reportError(new UserInputError('no such thing'), { stderr: { write: (chunk: string) => (stderr += chunk) } }, false)).toBe(2);
    expect(stderr).toBe('error: no such thing\n');
  });
});
