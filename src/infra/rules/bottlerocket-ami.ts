/**
 * ADR15-AMI-1: every managed node group runs a Bottlerocket AMI type (ADR-15 "Decision").
 *
 * Checks every `AWS::EKS::Nodegroup`: `AmiType` literally `BOTTLEROCKET_*` (FIPS variants
 * included). An unset or unresolvable AmiType fails: EKS would pick AL2/AL2023. `CUSTOM` fails
 * (and its launch template's ImageId fails ADR15-SEAL-1).
 *
 * Cannot see: which Bottlerocket variant EKS resolves at deploy time (it follows the cluster's
 * Kubernetes version), or compute outside node groups (ADR15-SEAL-2 covers that).
 */
import { fail, judgeEach, pass, type TemplateRule } from './template.js';

export const bottlerocketAmi: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const amiType = properties.AmiType;
    if (typeof amiType !== 'string') return fail('AmiType is not set literally, so the node group may not run Bottlerocket');
    return amiType.startsWith('BOTTLEROCKET_') ? pass() : fail(`AmiType ${amiType} is not a Bottlerocket AMI type`);
  });
