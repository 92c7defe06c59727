/**
 * The shortcuts that keep `bottlerocket-eks synth` fast must not change what the gates see:
 * cdk-nag's `instanceof` checks on service modules nobody loaded, and cfn-guard run one process
 * per template (the pipeline) or one for all (`cdk synth`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, test } from 'vitest';
import { controlTowerRuleFiles, runGuard, startGuard } from '../../src/infra/gates/control-tower.js';
import { withIdleServiceModules } from '../../src/infra/gates/idle-service-modules.js';
import { attachSynthGates } from '../../src/infra/gates/index.js';
import { govStack } from './fixture.js';

const require = createRequire(import.meta.url);
const nagRequire = createRequire(require.resolve('cdk-nag'));
// cdk-nag's rules import the service index modules (cheap); their lib/ folders load on first use.
nagRequire('cdk-nag');
const cdkRoot = dirname(nagRequire.resolve('aws-cdk-lib/package.json'));
const quicksight = nagRequire('aws-cdk-lib/aws-quicksight') as typeof import('aws-cdk-lib/aws-quicksight');
const quicksightLoaded = () => Object.keys(require.cache).some((file) => file.startsWith(join(cdkRoot, 'aws-quicksight', 'lib') + sep));

describe('withIdleServiceModules', () => {
  test('GIVEN a service module nobody loaded WHEN a rule asks instanceof THEN it is false and the module stays unloaded, and afterwards the export is the real class', () => {
    expect(quicksightLoaded()).toBe(false);
    const answer = withIdleServiceModules(() => ({}) instanceof quicksight.CfnDataSource);
    expect(answer).toBe(false);
    expect(quicksightLoaded()).toBe(false);
    expect(Object.getOwnPropertyDescriptor(quicksight, 'CfnDataSource')?.get).toBeTypeOf('function');
    expect(quicksight.CfnDataSource.CFN_RESOURCE_TYPE_NAME).toBe('AWS::QuickSight::DataSource');
    expect(quicksightLoaded()).toBe(true);
  });

  test('GIVEN a stand-in WHEN used for anything but instanceof THEN it loads and forwards to the real export', () => {
    const typeName = withIdleServiceModules(() => (nagRequire('aws-cdk-lib/aws-sagemaker') as typeof import('aws-cdk-lib/aws-sagemaker')).CfnModel.CFN_RESOURCE_TYPE_NAME);
    expect(typeName).toBe('AWS::SageMaker::Model');
  });

  test('GIVEN a stack with a resource of a service the platform never uses THEN cdk-nag still judges it', async () => {
    const stack = govStack();
    new sqs.CfnQueue(stack, 'Plain');
    const app = stack.node.root as App;
    const gates = attachSynthGates(app);
    app.synth();
    const findings = (await gates.findings()).filter((finding) => finding.resource === 'Test/Plain');
    expect(findings).toContainEqual(expect.objectContaining({ id: 'AwsSolutions-SQS3', result: 'fail' }));
    expect(findings).toContainEqual(expect.objectContaining({ id: 'AwsSolutions-SQS4', result: 'fail' }));
  });
});

describe('cfn-guard runs', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'guard-runs-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('GIVEN two templates THEN one process per template finds exactly what one process for both finds', async () => {
    const app = new App({ outdir });
    const first = new Stack(app, 'First');
    new s3.Bucket(first, 'Plain');
    const second = new Stack(app, 'Second');
    new s3.Bucket(second, 'Encrypted', { encryption: s3.BucketEncryption.KMS, enforceSSL: true, versioned: true });
    const assembly = app.synth();
    const templates = [assembly.getStackByName('First').templateFullPath, assembly.getStackByName('Second').templateFullPath];
    const rules = controlTowerRuleFiles().filter((file) => file.resourceTypes.includes('AWS::S3::Bucket')).map((file) => file.path);
    const together = runGuard(rules, templates);
    const apart = await startGuard(rules, templates);
    expect([...apart.keys()].sort()).toEqual([...templates].sort());
    for (const template of templates) expect(apart.get(template)).toEqual(together.get(template));
    expect(together.get(templates[0]!)!.violations.length).toBeGreaterThan(together.get(templates[1]!)!.violations.length);
  });
});
