/**
 * The CDK app `cdk.json` runs (`node build/infra/app.js`), so `npx cdk synth`, `npx cdk diff`
 * and `npx cdk deploy <stack>` work on the same stacks `bottlerocket-eks synth` builds. The
 * config file is `platform.yaml`, or `BOTTLEROCKET_EKS_CONFIG`. cdk-nag and Control Tower run
 * here too and fail synthesis on unacknowledged violations; the ADR-15 rules and platform.yaml
 * suppressions apply in `bottlerocket-eks synth`.
 */
import { UserInputError } from '../common/errors.js';
import { loadPlatformModel } from '../config/index.js';
import { buildPlatformApp } from './platform-app.js';

try {
  const model = await loadPlatformModel(process.env.BOTTLEROCKET_EKS_CONFIG ?? 'platform.yaml');
  buildPlatformApp(model, { gates: 'cdk' }).app.synth();
} catch (error) {
  if (!(error instanceof UserInputError)) throw error;
  process.stderr.write(`error: ${error.format()}\n`);
  process.exitCode = 2;
}
