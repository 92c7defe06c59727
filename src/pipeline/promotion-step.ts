/**
 * Synth step for ADR15-PROMO-1: judge every pinned release and Kubernetes version of the
 * environment against the promotion ledger beside the config. Writes no files; a failing
 * finding stops the synth, an override shows as suppressed with its reason.
 */
import { join } from 'node:path';
import { tallyFindings } from '../gates/finding.js';
import { evaluatePromotionGate, LEDGER_FILE, loadLedger } from '../releases/index.js';
import type { EnvironmentStep, PipelineContext } from './step.js';

/** One read of the ledger per synth, shared by every environment. */
const ledgers = new WeakMap<PipelineContext, ReturnType<typeof loadLedger>>();

function ledgerOf(context: PipelineContext): ReturnType<typeof loadLedger> {
  let ledger = ledgers.get(context);
  if (ledger === undefined) {
    ledger = loadLedger(join(context.configDir, LEDGER_FILE));
    ledgers.set(context, ledger);
  }
  return ledger;
}

export const promotionStep: EnvironmentStep = {
  name: 'promotion',
  async run(context, env) {
    const { ledger } = await ledgerOf(context);
    const findings = evaluatePromotionGate(context.platform, ledger, env, context.now);
    const tally = tallyFindings(findings);
    const overrides = findings.filter((finding) => finding.result === 'suppressed').map((finding) => `${finding.resource}: ${finding.reason}`);
    const verdict =
      tally.failed > 0 ? `${tally.failed} version(s) not promoted in order` : tally.suppressed > 0 ? 'promoted in order except overrides' : 'every version promoted in order';
    return {
      findings,
      summary: { promotion: overrides.length > 0 ? `${verdict}; OVERRIDE ${overrides.join('; ')}` : verdict },
    };
  },
};
