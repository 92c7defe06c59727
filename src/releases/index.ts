export { checkReleases, type LatestReleaseLookup, type ReleaseStatus } from './check.js';
export { planBump, type BumpChange, type BumpPlan, type BumpRequest } from './bump.js';
export { applyBump, checkDay, type ApplyBumpOptions, type BumpOutcome } from './apply-bump.js';
export { isIsoDay, isoDay } from './calendar.js';
export { appendEntries, LEDGER_FILE, ledgerPathFor, loadLedger, parseLedger, type Ledger, type LedgerEntry, type LoadedLedger } from './ledger.js';
export { evaluatePromotionGate, promotionVerdict, type PromotionVerdict } from './promotion.js';
export { defaultSsmClient, latestReleases, type PublishedRelease, type SsmClientFactory } from './ssm.js';
export { editScalars } from './yaml-edit.js';
export { compareReleases, formatVariant, latestReleaseParameter, variantOf, type Variant } from './variant.js';
