/**
 * checkov, a second engine over the synthesized templates: every finding it reports on any
 * environment must be listed in checkov-reviewed.yaml with a justification, and every listed
 * finding must still be reported (no stale entries). A control template that breaks two checks
 * proves checkov really evaluated the files of this run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePlatformModel } from '../../src/config/index.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { pythonTool, runTool } from '../support/tools.js';

interface CheckovCheck {
  readonly check_id: string;
  readonly resource: string;
  readonly file_path: string;
  readonly check_name: string;
}
interface CheckovReport {
  readonly summary: { readonly passed: number; readonly failed: number; readonly parsing_errors: number };
  readonly results: { readonly failed_checks: CheckovCheck[]; readonly passed_checks: CheckovCheck[] };
}
interface ReviewedFinding {
  readonly check: string;
  readonly resource: string;
  readonly environments: readonly string[];
  readonly decision: 'justified';
  readonly reason: string;
}

const CONTROL = 'control.template.json';
let dir: string;
let report: CheckovReport;
let environments: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'checkov-'));
  const config = parsePlatformModel('platform.yaml', readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8'));
  const { app, stacks } = buildPlatformApp(config, { gates: 'none', outdir: join(dir, 'cdk.out') });
  const assembly = app.synth();
  environments = [...stacks.keys()];
  const files = [...stacks].map(([env, stack]) => {
    const file = join(dir, `${env}.template.json`);
    writeFileSync(file, JSON.stringify(assembly.getStackByName(stack.stackName).template));
    return file;
  });
  // An unencrypted bucket and a key that never rotates: checkov must fail both.
  writeFileSync(join(dir, CONTROL), JSON.stringify({ Resources: { Plain: { Type: 'AWS::S3::Bucket', Properties: {} }, Stale: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } } } }));
  const { stdout } = runTool(
    pythonTool('checkov'),
    [...[...files, join(dir, CONTROL)].flatMap((file) => ['-f', file]), '--framework', 'cloudformation', '--output', 'json', '--compact', '--skip-download'],
    { cwd: dir, allowExitCodes: [1] },
  );
  const parsed = JSON.parse(stdout) as CheckovReport | CheckovReport[];
  report = Array.isArray(parsed) ? parsed.find((entry) => (entry as { check_type?: string }).check_type === 'cloudformation')! : parsed;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const environmentOf = (check: CheckovCheck) => check.file_path.replace(/^.*\//, '').replace(/\.template\.json$/, '');

describe('checkov on the synthesized templates', () => {
  test('checkov parsed every template and evaluated them (the control template fails encryption and rotation)', () => {
    expect(report.summary.parsing_errors).toBe(0);
    const control = report.results.failed_checks.filter((check) => check.file_path.endsWith(CONTROL)).map((check) => check.check_id);
    expect(control).toEqual(expect.arrayContaining(['CKV_AWS_7']));
    expect(control.length).toBeGreaterThanOrEqual(2);
    for (const env of environments) expect(report.results.passed_checks.filter((check) => environmentOf(check) === env).length, env).toBeGreaterThan(80);
  });

  test('every finding on an environment is reviewed in checkov-reviewed.yaml, and every reviewed entry is still reported', () => {
    const reviewed = (parse(readFileSync(new URL('./checkov-reviewed.yaml', import.meta.url), 'utf8')) as { findings: ReviewedFinding[] }).findings;
    for (const entry of reviewed) {
      expect(entry.decision).toBe('justified');
      expect(entry.reason.length, `${entry.check} ${entry.resource}`).toBeGreaterThanOrEqual(40);
    }
    const key = (check: string, resource: string, env: string) => `${env} ${check} ${resource}`;
    const reported = report.results.failed_checks
      .filter((check) => !check.file_path.endsWith(CONTROL))
      .map((check) => key(check.check_id, check.resource, environmentOf(check)));
    const listed = reviewed.flatMap((entry) => entry.environments.map((env) => key(entry.check, entry.resource, env)));
    expect(reported.filter((finding) => !listed.includes(finding)), 'findings nobody reviewed').toEqual([]);
    expect(listed.filter((finding) => !reported.includes(finding)), 'reviewed findings checkov no longer reports: remove them').toEqual([]);
  });
});
