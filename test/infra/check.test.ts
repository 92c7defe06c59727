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
import { checkTemplates, readCheckInputs } from '../../src/infra/check.js';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { evaluateAdrRules, type CfnTemplateJson } from '../../src/infra/rules/index.js';
import { exampleConfig } from './fixture.js';
import { runCli } from '../support/cli.js';
import { SIDESTEPS, withSidestep } from './sidesteps.js';

let dir: string;
let template: CfnTemplateJson;
let assemblyDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-test-'));
  assemblyDir = join(dir, 'cdk.out');
  const { app, stacks } = buildPlatformApp(exampleConfig(), { gates: 'none', environments: ['dev'], outdir: assemblyDir });
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
    const { code, stdout } = await run(['check', '--format', 'json', file]);
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as Array<{ ruleId: string; source: string; resource: string; result: string; template: string }>;
    expect(findings.filter((finding) => finding.result === 'fail')).toEqual([]);
    const adr = findings.filter((finding) => finding.source === 'ADR-15');
    expect(new Set(adr.map((finding) => finding.ruleId))).toEqual(new Set(['ADR15-AMI-1', 'ADR15-SEAL-1', 'ADR15-SEAL-2', 'ADR15-IMDS-1', 'ADR15-SSM-1', 'ADR15-UPD-1', 'ADR15-REL-1', 'ADR15-EP-1', 'ADR15-LOG-1', 'ADR15-ENC-1']));
    expect(adr.every((finding) => finding.result === 'pass' && finding.resource.startsWith('fedplat-dev') && finding.template === file)).toBe(true);
    expect(findings.some((finding) => finding.source === 'control-tower' && finding.result === 'pass')).toBe(true);
  });

  test('GIVEN a cloud assembly folder THEN its stacks are checked like the template file', async () => {
    const { code, stdout } = await run(['check', '--format', 'json', assemblyDir]);
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
    const table = await run(['check', file]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^FAIL\s+ADR15-LOG-1\s+fedplat-dev\/Cluster\/Cluster\/Resource\s+control-plane log types not enabled: api, audit/m);
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', file])).stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toContainEqual(expect.objectContaining({ ruleId: 'ADR15-LOG-1', locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'no-logging.json' } } })] }));
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse((await run(['check', '--format', 'junit', file])).stdout) as { testsuites: { failures: string; testsuite: { testcase: Array<{ name: string; failure?: unknown; skipped?: unknown }> } } };
    expect(Number(junit.testsuites.failures)).toBe(1);
    const cases = junit.testsuites.testsuite.testcase;
    expect(cases.find((testcase) => testcase.name.startsWith('ADR15-LOG-1'))?.failure).toBeDefined();
    // A Control Tower rule cfn-guard skipped is reported skipped, never as a passing case.
    expect(cases.some((testcase) => testcase.skipped !== undefined)).toBe(true);
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
    const report = await checkTemplates([input!]);
    const adr = (findings: ReadonlyArray<{ id: string; source: string; resource: string; result: string }>) =>
      findings.filter((finding) => finding.source === 'ADR-15').map(({ id, resource, result }) => ({ id, resource, result }));
    expect(adr(report.findings)).toEqual(adr(evaluateAdrRules(template, 'same')));
  });
});
