import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly id?: string;
}

const workflow = parse(await readFile(new URL('../../examples/github-actions/releases-check.yml', import.meta.url), 'utf8')) as {
  on: { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
};
const job = Object.values(workflow.jobs)[0]!;

describe('examples/github-actions/releases-check.yml', () => {
  test('runs weekly and on demand, with read-only default permissions', () => {
    expect(workflow.on.schedule).toHaveLength(1);
    expect(workflow.on.schedule[0]?.cron.split(' ')).toHaveLength(5);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(job.permissions['id-token']).toBe('write');
  });

  test('every third-party action is pinned by a full commit SHA', () => {
    const uses = job.steps.flatMap((step) => (step.uses ? [step.uses] : []));
    expect(uses.map((ref) => ref.split('@')[0])).toEqual(['actions/checkout', 'actions/setup-node', 'aws-actions/configure-aws-credentials', 'peter-evans/create-pull-request']);
    for (const ref of uses) expect(ref).toMatch(/@[0-9a-f]{40}$/);
  });

  test('bumps and opens a pull request only when releases check exits 10', () => {
    const check = job.steps.find((step) => step.run?.includes('bottlerocket-eks releases check'));
    expect(check?.id).toBe('check');
    const conditional = job.steps.filter((step) => step.if === "steps.check.outputs.exit == '10'");
    expect(conditional.map((step) => step.uses?.split('@')[0] ?? step.run?.match(/bottlerocket-eks releases bump/)?.[0])).toEqual([
      'bottlerocket-eks releases bump',
      'peter-evans/create-pull-request',
    ]);
  });
});
