/**
 * ADR15-SEAL-1: a node group's launch template sets neither ImageId nor UserData, so AWS keeps
 * managing the AMI and its configuration (ADR-15 "Shared responsibility model"). Block device
 * mappings do not break the seal: they say how the AMI's volumes are stored (encrypted, sized),
 * while EKS still chooses the AMI from the AMI type and release and merges its own user data.
 */
import { fail, judgeEach, nodegroupLaunchTemplate, pass, type TemplateRule } from './template.js';

export const sealIntact: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', (nodegroup) => {
    const launchTemplate = nodegroupLaunchTemplate(template, nodegroup);
    if (launchTemplate.kind === 'none') return pass();
    if (launchTemplate.kind === 'unresolved') return fail('the launch template is not defined in this template, so its ImageId and UserData cannot be checked');
    const broken = ['ImageId', 'UserData'].filter((key) => launchTemplate.data[key] !== undefined);
    return broken.length === 0 ? pass() : fail(`the launch template sets ${broken.join(' and ')}, which breaks the seal`);
  });
