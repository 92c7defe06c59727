/**
 * The AWS CloudFormation linter (cfn-lint, pinned in conformance/requirements-cfn-lint.txt) on every
 * template the platform synthesizes: the example's three environments, and a variant that turns on
 * every optional AWS feature (existing VPC, public endpoint allow-list, VPC endpoints, managed
 * Argo CD, a Falco SOC log group, scoped access entries, the bootstrapless synthesizer). No error
 * may remain; each warning must be reviewed in conformance/cfn-lint-reviewed.yaml.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parsePlatformModel } from '../src/config/index.js';
import { buildPlatformApp } from '../src/infra/platform-app.js';
import { pythonTool } from './support/tools.js';

const example = readFileSync(new URL('../platform.yaml', import.meta.url), 'utf8');

/** Every optional AWS feature on, in dev (existing VPC) and staging (created VPC with endpoints). */
const everything = example
  .replace('gitops:\n  controller: flux\n', 'gitops:\n  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef\n  argoCdRoleMappings:\n    - role: ADMIN\n      identities: [{ id: 906727e5-1b2c-4d3e-8f90-123456789abc, type: SSO_GROUP }]\n')
  .replace(
    '    network:\n      createVpc:\n        cidr: 10.10.0.0/16\n        maxAzs: 3\n        natGateways: 1\n',
    '    network:\n      existingVpc:\n        vpcId: vpc-0abc12345def67890\n        privateSubnetIds: [subnet-0aaa1111bbbb2222c, subnet-0ddd3333eeee4444f]\n        availabilityZones: [us-gov-west-1a, us-gov-west-1b]\n    endpointAccess:\n      mode: public-and-private\n      publicCidrs: [203.0.113.0/24]\n      privateAccess:\n        securityGroupIds: [sg-0abc12345def67890]\n        prefixListIds: [pl-0abc12345def67890]\n',
  )
  .replace('        natGateways: 3\n', '        natGateways: 3\n        vpcEndpoints: [s3, ecr.api, ecr.dkr, sts, ec2, eks, eks-auth, logs, autoscaling]\n')
  .replace('      minimumPriority: notice\n', '      minimumPriority: notice\n      cloudwatchLogGroup: /soc/falco/dev\n')
  .concat('\ndeployment:\n  synthesizer: bootstrapless\n');

const workDir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function templates(name: string, text: string): string[] {
  const config = parsePlatformModel('platform.yaml', text);
  const { app, stacks } = buildPlatformApp(config, {});
  const assembly = app.synth();
  return [...stacks.values()].map((stack) => {
    const file = join(workDir, `${name}-${stack.stackName}.template.json`);
    writeFileSync(file, JSON.stringify(assembly.getStackByName(stack.stackName).template, null, 2));
    return file;
  });
}

interface LintMatch {
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Rule: { readonly Id: string };
  readonly Message: string;
  readonly Filename: string;
  readonly Location: { readonly Path: ReadonlyArray<string | number> };
}

interface Reviewed {
  readonly rule: string;
  readonly resource: string;
  readonly path: string;
  readonly reason: string;
}

/** cfn-lint's JSON report; its exit code is a bit mask (2 errors, 4 warnings, 8 informational), judged from the report instead. */
function lint(files: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(pythonTool('cfn-lint'), ['--format', 'json', '--regions', 'us-gov-west-1', '--', ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && !(typeof code === 'number' && code > 0 && code < 16 && stdout.startsWith('['))) reject(new Error(`cfn-lint failed (${String(code)}): ${stderr}`));
      else resolve(stdout);
    });
  });
}

test('cfn-lint reports no error on any synthesized template, and only reviewed warnings', async () => {
  const files = [...templates('example', example), ...templates('everything', everything)];
  expect(files).toHaveLength(6);
  expect(everything).toContain('managedArgoCd: true');
  expect(everything).toContain('existingVpc');
  expect(everything).toContain('vpcEndpoints');
  // Asynchronously: a blocked worker misses vitest's heartbeats while cfn-lint works for a minute.
  const stdout = await lint(files);
  const matches = JSON.parse(stdout) as LintMatch[];
  const describe = (match: LintMatch) => `${match.Level} ${match.Rule.Id} ${match.Filename.split('/').pop()} ${match.Location.Path.join('/')}: ${match.Message}`;
  expect(matches.filter((match) => match.Level === 'Error').map(describe)).toEqual([]);

  const reviewed = (parse(readFileSync(new URL('./cfn-lint-reviewed.yaml', import.meta.url), 'utf8')) as { warnings: Reviewed[] }).warnings;
  for (const entry of reviewed) expect(entry.reason.length, `${entry.rule} needs a reason`).toBeGreaterThan(40);
  const covers = (entry: Reviewed, match: LintMatch) => entry.rule === match.Rule.Id && match.Location.Path[0] === 'Resources' && match.Location.Path[1] === entry.resource && match.Location.Path[2] === entry.path;
  const warnings = matches.filter((match) => match.Level !== 'Error');
  expect(warnings.filter((match) => !reviewed.some((entry) => covers(entry, match))).map(describe)).toEqual([]);
  expect(reviewed.filter((entry) => !warnings.some((match) => covers(entry, match))).map((entry) => `${entry.rule} ${entry.resource}`)).toEqual([]);
});
