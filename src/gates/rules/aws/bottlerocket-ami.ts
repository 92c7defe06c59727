/** ADR15-AMI-1: every managed node group runs a Bottlerocket AMI type (ADR-15 "Decision"). */
import { fail, judgeEach, pass, type TemplateRule } from './template.js';

export const bottlerocketAmi: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const amiType = properties.AmiType;
    if (typeof amiType !== 'string') return fail('AmiType is not set literally, so the node group may not run Bottlerocket');
    return amiType.startsWith('BOTTLEROCKET_') ? pass() : fail(`AmiType ${amiType} is not a Bottlerocket AMI type`);
  });
