/**
 * ADR15-IMDS-1: IMDSv2 required with hop limit 1, so pods cannot reach the instance profile
 * (ADR-15 "Shared concerns"). Without a launch template neither can be enforced.
 */
import { asRecord, fail, judgeEach, nodegroupLaunchTemplate, pass, type TemplateRule } from './template.js';

export const imdsHopLimit: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', (nodegroup) => {
    const launchTemplate = nodegroupLaunchTemplate(template, nodegroup);
    if (launchTemplate.kind === 'none') return fail('no launch template: IMDSv2 and hop limit 1 are not enforced, and a launch template cannot be added later');
    if (launchTemplate.kind === 'unresolved') return fail('the launch template is not defined in this template, so its metadata options cannot be checked');
    const options = asRecord(launchTemplate.data.MetadataOptions) ?? {};
    const problems = [
      options.HttpTokens === 'required' ? undefined : `HttpTokens is ${JSON.stringify(options.HttpTokens ?? 'unset')}, not "required"`,
      Number(options.HttpPutResponseHopLimit) === 1 ? undefined : `HttpPutResponseHopLimit is ${JSON.stringify(options.HttpPutResponseHopLimit ?? 'unset')}, not 1`,
    ].filter((problem): problem is string => problem !== undefined);
    return problems.length === 0 ? pass() : fail(problems.join('; '));
  });
