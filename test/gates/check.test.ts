/**
 * `bottlerocket-eks check` on the example's synthesized dev template: clean exits 0; every
 * sidestep of the catalogue exits 1 with its rule id; bad input exits 2 with no output. The
 * rules are also applied directly, so each sidestep is pinned to the rule that must catch it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { checkTemplates, readCheckInputs } from '../../src/gates/check.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { evaluateAdrRules, evaluateSupportCalendar, type CfnTemplateJson } from '../../src/gates/rules/aws/index.js';
import { exampleConfig } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';
import { SIDESTEPS, withSidestep } from '../infra/sidesteps.js';

let dir: string;
let template: CfnTemplateJson;
let assemblyDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-test-'));
  assemblyDir = join(dir, 'cdk.out');
  const { app, stacks } = buildPlatformApp(exampleConfig(), { environments: ['dev'], outdir: assemblyDir });
  template = app.synth().getStackByName(stacks.get('dev')!.stackName).template as CfnTemplateJson;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(args, { cwd: dir });

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('check on the synthesized template', () => {
  test('GIVEN the unmodified template THEN exit 0, every ADR rule passes and JSON lists each finding with rule id, resource and result', async () => {
    mkdirSync(join(dir, 'clean'), { recursive: true });
    const file = write('clean/fedplat-dev.template.json', template);
    // A day on which the example's Kubernetes 1.33 is in standard support (more than 60 days left).
    const { code, stdout } = await run(['check', '--format', 'json', '--date', '2026-05-01', file]);
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as Array<{ ruleId: string; source: string; resource: string; result: string; template: string }>;
    expect(findings.filter((finding) => finding.result === 'fail')).toEqual([]);
    const adr = findings.filter((finding) => finding.source === 'ADR-15');
    expect(new Set(adr.map((finding) => finding.ruleId))).toEqual(new Set(['ADR15-AMI-1', 'ADR15-SEAL-1', 'ADR15-SEAL-2', 'ADR15-IMDS-1', 'ADR15-SSM-1', 'ADR15-UPD-1', 'ADR15-REL-1', 'ADR15-EP-1', 'ADR15-LOG-1', 'ADR15-ENC-1', 'ADR15-VER-1']));
    expect(adr.every((finding) => finding.result === 'pass' && finding.resource.startsWith('fedplat-dev') && finding.template === file)).toBe(true);
    expect(findings.some((finding) => finding.source === 'control-tower' && finding.result === 'pass')).toBe(true);
  });

  test('GIVEN a cloud assembly folder THEN its stacks are checked like the template file', async () => {
    const { code, stdout } = await run(['check', '--format', 'json', '--date', '2026-12-01', assemblyDir]);
    expect(code).toBe(0);
    expect(new Set((JSON.parse(stdout) as Array<{ template: string }>).map((finding) => finding.template))).toEqual(new Set([join(assemblyDir, 'fedplat-dev.template.json')]));
  });

  test.each(SIDESTEPS.map((sidestep, index) => [sidestep.name, sidestep.rule, index] as const))('GIVEN %s THEN %s fails and check exits 1', async (_name, rule, index) => {
    const sidestepped = withSidestep(template, SIDESTEPS[index]!);
    const fired = evaluateAdrRules(sidestepped, 'fedplat-dev').filter((finding) => finding.result === 'fail').map((finding) => finding.id);
    expect(fired).toContain(rule);
    const { code, stdout } = await run(['check', '--format', 'json', write(`sidestep-${index}.json`, sidestepped)]);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as Array<{ ruleId: string; result: string }>).filter((finding) => finding.result === 'fail').map((finding) => finding.ruleId)).toContain(rule);
  });
});

describe('check output formats', () => {
  test('GIVEN a failing template THEN table, SARIF and JUnit name the rule and the resource', async () => {
    const file = write('no-logging.json', withSidestep(template, SIDESTEPS.find((sidestep) => sidestep.rule === 'ADR15-LOG-1')!));
    const table = await run(['check', '--date', '2026-12-01', file]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^FAIL\s+ADR15-LOG-1\s+fedplat-dev\/Cluster\/Cluster\/Resource\s+control-plane log types not enabled: api, audit/m);
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', '--date', '2026-12-01', file])).stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toContainEqual(expect.objectContaining({ ruleId: 'ADR15-LOG-1', locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'no-logging.json' } } })] }));
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse((await run(['check', '--format', 'junit', '--date', '2026-12-01', file])).stdout) as { testsuites: { failures: string; testsuite: { testcase: Array<{ name: string; failure?: unknown; skipped?: unknown }> } } };
    expect(Number(junit.testsuites.failures)).toBe(1);
    const cases = junit.testsuites.testsuite.testcase;
    expect(cases.find((testcase) => testcase.name.startsWith('ADR15-LOG-1'))?.failure).toBeDefined();
    // A Control Tower rule cfn-guard skipped is reported skipped, never as a passing case.
    expect(cases.some((testcase) => testcase.skipped !== undefined)).toBe(true);
  });
});

describe('check: a warning (ADR15-VER-1) in every format and in the exit code', () => {
  // On 2026-12-01 the example's Kubernetes 1.33 is in extended support (since 2026-07-29).
  const day = ['--date', '2026-12-01'];

  test('GIVEN Kubernetes 1.33 on 2026-12-01 THEN exit 0, WARN in the table, result warn in JSON, SARIF level warning, JUnit a passing case that carries it', async () => {
    const file = write('warned.json', template);
    const table = await run(['check', ...day, file]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^WARN\s+ADR15-VER-1\s+fedplat-dev\/Cluster\/Cluster\/Resource\s+Kubernetes 1\.33 is in EKS extended support since 2026-07-29/m);
    expect(table.stdout).toMatch(/1 warned, 0 failed/);
    expect(table.stderr).toMatch(/0 failed finding\(s\), 1 warning\(s\)/);
    const json = JSON.parse((await run(['check', '--format', 'json', ...day, file])).stdout) as Array<{ ruleId: string; result: string }>;
    expect(json.filter((finding) => finding.result === 'warn').map((finding) => finding.ruleId)).toEqual(['ADR15-VER-1']);
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', ...day, file])).stdout) as { runs: Array<{ results: Array<{ ruleId: string; level: string; suppressions?: unknown }> }> };
    const results = sarif.runs[0]!.results.filter((result) => result.suppressions === undefined);
    expect(results).toEqual([expect.objectContaining({ ruleId: 'ADR15-VER-1', level: 'warning' })]);
    const junitText = (await run(['check', '--format', 'junit', ...day, file])).stdout;
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junitText) as {
      testsuites: { failures: string; testsuite: { testcase: Array<{ name: string; failure?: unknown; skipped?: unknown; 'system-out'?: string; properties?: { property: { name: string; value: string } } }> } };
    };
    expect(Number(junit.testsuites.failures)).toBe(0);
    const warned = junit.testsuites.testsuite.testcase.find((testcase) => testcase.name.startsWith('ADR15-VER-1'))!;
    expect(warned.failure).toBeUndefined();
    expect(warned.skipped).toBeUndefined();
    expect(warned['system-out']).toMatch(/^WARNING ADR15-VER-1: Kubernetes 1\.33 is in EKS extended support/);
    expect(warned.properties?.property).toMatchObject({ name: 'warning' });
  });

  test('GIVEN --strict THEN the same warning exits 1; GIVEN a day in standard support THEN --strict exits 0', async () => {
    const file = write('strict.json', template);
    const strict = await run(['check', '--strict', ...day, file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/1 warning\(s\) \(--strict: warnings fail\)/);
    expect((await run(['check', '--strict', '--date', '2026-05-01', file])).code).toBe(0);
  });

  test('GIVEN a day past the end of extended support THEN exit 1 (a failure, not a warning)', async () => {
    const { code, stdout } = await run(['check', '--date', '2027-07-29', write('eol.json', template)]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL\s+ADR15-VER-1\s+\S+\s+Kubernetes 1\.33 reached the end of EKS extended support on 2027-07-29/m);
  });

  test('GIVEN --date that is not a calendar day THEN exit 2', async () => {
    expect((await run(['check', '--date', '2026-02-30', write('bad-date.json', template)])).code).toBe(2);
  });
});

describe('check input errors exit 2 with nothing on stdout', () => {
  test.each([
    ['a missing file', () => join(dir, 'missing.json'), /no such file or folder/],
    ['invalid JSON', () => write('broken.json', '{\n  "Resources": {\n    "X": \n}'), /broken\.json:4:\d+: not valid JSON/],
    ['JSON that is not a template', () => write('not-template.json', { hello: 'world' }), /not a CloudFormation template/],
    ['a resource without Type', () => write('no-type.json', { Resources: { X: { Properties: {} } } }), /resource X has no "Type"/],
    ['a folder without manifest.json', () => { const folder = join(dir, 'empty'); mkdirSync(folder, { recursive: true }); return folder; }, /not a cloud assembly folder/],
  ])('GIVEN %s THEN exit 2', async (_what, input, message) => {
    const { code, stdout, stderr } = await run(['check', '--format', 'json', write('good.json', template), input()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test('GIVEN an unknown format THEN exit 2', async () => {
    expect((await run(['check', '--format', 'xml', write('good.json', template)])).code).toBe(2);
  });
});

describe('check and synth share the template-level gates', () => {
  test('GIVEN the same template THEN readCheckInputs + checkTemplates yields the ADR findings synth records', async () => {
    const [input] = readCheckInputs([write('same.template.json', template)]);
    const report = await checkTemplates([input!], '2026-12-01');
    const adr = (findings: ReadonlyArray<{ id: string; source: string; resource: string; result: string }>) =>
      findings.filter((finding) => finding.source === 'ADR-15').map(({ id, resource, result }) => ({ id, resource, result }));
    expect(adr(report.findings)).toEqual(adr([...evaluateAdrRules(template, 'same'), ...evaluateSupportCalendar(template, 'same', '2026-12-01')]));
  });
});
