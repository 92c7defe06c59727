/**
 * The CDK app `cdk.json` runs (`node build/pipeline/cdk-app.js`), so `npx cdk synth`, `npx cdk diff`
 * and `npx cdk deploy <stack>` work on the same stacks `bottlerocket-eks synth` builds, judged by
 * the same AWS packs (cdk-nag, Control Tower, ADR-15 with ADR15-PROMO-1 against the ledger) and
 * the same platform.yaml suppressions: a failure fails synthesis, so it is never deployed (a warning
 * is printed; with `BOTTLEROCKET_EKS_STRICT=1` it fails too). The
 * config file is `platform.yaml`, or `BOTTLEROCKET_EKS_CONFIG`; the ledger sits beside it.
 */
import { dirname, join, resolve } from 'node:path';
import { UserInputError } from '../common/errors.js';
import { loadPlatformModel } from '../config/index.js';
import { createAwsGates } from '../gates/cdk/index.js';
import { buildPlatformApp } from '../infra/platform-app.js';
import { isIsoDay, LEDGER_FILE, loadLedger } from '../releases/index.js';

function dayFromEnvironment(day: string | undefined): Date {
  if (day === undefined) return new Date();
  if (!isIsoDay(day)) throw new UserInputError(`BOTTLEROCKET_EKS_DATE=${day}: must be a UTC day in YYYY-MM-DD form`);
  return new Date(`${day}T00:00:00Z`);
}

try {
  const configFile = process.env.BOTTLEROCKET_EKS_CONFIG ?? 'platform.yaml';
  const model = await loadPlatformModel(configFile);
  const { ledger } = await loadLedger(join(dirname(resolve(configFile)), LEDGER_FILE));
  // Warnings (ADR15-VER-1) are printed and do not fail, unless BOTTLEROCKET_EKS_STRICT=1 (as `synth --strict`);
  // BOTTLEROCKET_EKS_DATE=YYYY-MM-DD judges as of that day (as `synth --date`).
  const gates = createAwsGates({ adr: { model, ledger, now: dayFromEnvironment(process.env.BOTTLEROCKET_EKS_DATE) }, mode: 'cdk', strict: process.env.BOTTLEROCKET_EKS_STRICT === '1' });
  buildPlatformApp(model, { validationPlugins: gates.plugins }).app.synth();
} catch (error) {
  if (!(error instanceof UserInputError)) throw error;
  process.stderr.write(`error: ${error.format()}\n`);
  process.exitCode = 2;
}
