/**
 * ADR15-REL-1: every node group pins a well-formed Bottlerocket release (ADR-15 "Consequences:
 * Updates": releases are promoted lower to higher, not taken as they come).
 *
 * Checks every `AWS::EKS::Nodegroup`: `ReleaseVersion` literally `<version>-<build>`.
 *
 * Cannot see: whether the release exists in the region, or whether it went through the lower
 * environments first (ADR15-PROMO-1 checks that against the release ledger).
 */
import { RELEASE_VERSION_PATTERN } from '../../config/schema.js';
import { fail, judgeEach, pass, type TemplateRule } from './template.js';

export const releasePinned: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const version = properties.ReleaseVersion;
    if (typeof version !== 'string') return fail('ReleaseVersion is not pinned: nodes would boot whatever release is latest at creation');
    return RELEASE_VERSION_PATTERN.test(version) ? pass() : fail(`ReleaseVersion ${version} is not of the form <version>-<build>, e.g. 1.47.0-6154605b`);
  });
