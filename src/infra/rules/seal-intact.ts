/**
 * ADR15-SEAL-1: no launch template sets ImageId or UserData, so AWS keeps managing the AMI and
 * its configuration (ADR-15 "Shared responsibility model": "breaking the seal").
 *
 * Checks every `AWS::EC2::LaunchTemplate` of the template (not only those a node group names),
 * looking for an `ImageId` or `UserData` key at any depth of `LaunchTemplateData`, inside
 * intrinsics too (`Fn::If` branches, `Fn::Sub`, `Fn::Join`, `Fn::Select` ...). Launch template
 * data that is not a literal object (a parameter, an import, a macro), or a template with a
 * `Transform`, fails: the rule cannot see what it would become. Everything else a launch template
 * may carry (block device mappings, monitoring, metadata options, tags) is inside the seal. A node
 * group naming a launch template outside this template fails too.
 *
 * Cannot see: launch template versions created outside CloudFormation, or a `$Latest` version
 * someone adds later by hand (pin versions: the platform uses `LatestVersionNumber` of its own).
 */
import { asRecord, fail, isIntrinsic, judgeEach, keysAnywhere, nodegroupLaunchTemplate, pass, resourcesOfType, transformProblem, type RuleOutcome, type TemplateRule } from './template.js';

const SEAL_BREAKERS: ReadonlySet<string> = new Set(['ImageId', 'UserData']);

/** What breaks the seal in one launch template's data, or undefined. */
export function launchTemplateSealProblem(data: unknown): string | undefined {
  const record = asRecord(data);
  if (!record || isIntrinsic(record)) return 'LaunchTemplateData is not literal, so the rule cannot see whether it sets ImageId or UserData';
  const found = keysAnywhere(record, SEAL_BREAKERS);
  return found.length === 0 ? undefined : `the launch template sets ${found.join(' and ')}, which breaks the seal`;
}

export const sealIntact: TemplateRule = (template) => {
  const transform = transformProblem(template);
  const launchTemplates = judgeEach(template, 'AWS::EC2::LaunchTemplate', ({ properties }): Omit<RuleOutcome, 'logicalId'> => {
    if (transform) return fail(transform);
    const problem = launchTemplateSealProblem(properties.LaunchTemplateData);
    return problem ? fail(problem) : pass();
  });
  // A node group naming a launch template this template does not hold cannot be checked.
  const external = resourcesOfType(template, 'AWS::EKS::Nodegroup')
    .filter((nodegroup) => nodegroupLaunchTemplate(template, nodegroup).kind === 'unresolved')
    .map((nodegroup) => ({ logicalId: nodegroup.logicalId, ...fail('the launch template is not defined in this template, so its ImageId and UserData cannot be checked') }));
  const judged = launchTemplates.filter((outcome) => outcome.result !== 'not-applicable');
  if (judged.length === 0 && external.length === 0) return launchTemplates;
  return [...judged, ...external];
};
