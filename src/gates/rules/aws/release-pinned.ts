/** ADR15-REL-1: every node group pins a well-formed Bottlerocket release (ADR-15 "Consequences: Updates"). */
import { RELEASE_VERSION_PATTERN } from '../../../config/schema.js';
import { fail, judgeEach, pass, type TemplateRule } from './template.js';

export const releasePinned: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const version = properties.ReleaseVersion;
    if (typeof version !== 'string') return fail('ReleaseVersion is not pinned: nodes would boot whatever release is latest at creation');
    return RELEASE_VERSION_PATTERN.test(version) ? pass() : fail(`ReleaseVersion ${version} is not of the form <version>-<build>, e.g. 1.47.0-6154605b`);
  });
