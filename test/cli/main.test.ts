import { describe, expect, test } from 'vitest';
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
