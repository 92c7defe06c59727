/**
 * ADR15-IMDS-1: IMDSv2 required with hop limit exactly 1, so pods cannot reach the instance
 * profile (ADR-15 "Shared concerns").
 *
 * Checks every `AWS::EC2::LaunchTemplate` (`MetadataOptions.HttpTokens` is literally
 * `required`, `HttpPutResponseHopLimit` literally 1) and every node group: one without a launch
 * template gets EKS's default (hop limit 2), and one naming a launch template outside this
 * template cannot be checked; both fail. A value the rule cannot resolve fails.
 *
 * Cannot see: instance metadata defaults changed account-wide (`ModifyInstanceMetadataDefaults`)
 * or on running instances; pods on the host network, which reach IMDS anyway (the cluster
 * layer's policies audit them).
 */
import { asRecord, fail, judgeEach, nodegroupLaunchTemplate, pass, resourcesOfType, type RuleOutcome, type TemplateRule } from './template.js';

function metadataProblems(data: unknown): string[] {
  const options = asRecord(asRecord(data)?.MetadataOptions) ?? {};
  const hopLimit = options.HttpPutResponseHopLimit;
  return [
    options.HttpTokens === 'required' ? undefined : `HttpTokens is ${JSON.stringify(options.HttpTokens ?? 'unset')}, not "required"`,
    hopLimit === 1 || hopLimit === '1' ? undefined : `HttpPutResponseHopLimit is ${JSON.stringify(hopLimit ?? 'unset')}, not 1`,
  ].filter((problem): problem is string => problem !== undefined);
}

export const imdsHopLimit: TemplateRule = (template) => {
  const launchTemplates = judgeEach(template, 'AWS::EC2::LaunchTemplate', ({ properties }): Omit<RuleOutcome, 'logicalId'> => {
    const problems = metadataProblems(properties.LaunchTemplateData);
    return problems.length === 0 ? pass() : fail(problems.join('; '));
  });
  const nodegroups = resourcesOfType(template, 'AWS::EKS::Nodegroup').flatMap((nodegroup): RuleOutcome[] => {
    const kind = nodegroupLaunchTemplate(template, nodegroup).kind;
    if (kind === 'none') return [{ logicalId: nodegroup.logicalId, ...fail('no launch template: EKS defaults to hop limit 2, so pods reach the instance profile; a launch template cannot be added later') }];
    if (kind === 'unresolved') return [{ logicalId: nodegroup.logicalId, ...fail('the launch template is not defined in this template, so its metadata options cannot be checked') }];
    return [];
  });
  const judged = launchTemplates.filter((outcome) => outcome.result !== 'not-applicable');
  return judged.length === 0 && nodegroups.length === 0 ? launchTemplates : [...judged, ...nodegroups];
};
