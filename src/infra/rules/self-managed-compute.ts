/**
 * ADR15-SEAL-2: all compute is Bottlerocket managed node groups (ADR-15 "Shared responsibility
 * model": managed node groups, not self-managed workers; Fargate is not an option).
 *
 * Checks the whole template: every Auto Scaling group, launch configuration, EC2 instance, EC2
 * or Spot fleet and Fargate profile fails, as does EKS Auto Mode compute (`ComputeConfig.Enabled`)
 * and every launch template no Bottlerocket managed node group uses (it could start
 * self-managed instances). Passes once per launch template a Bottlerocket node group uses, and
 * once for the stack when it holds no compute outside them; not applicable without any compute.
 *
 * Cannot see: compute in other stacks or accounts, Karpenter or other in-cluster provisioners
 * (they create instances at run time; the cluster layer's policies must cover them).
 */
import { asRecord, fail, nodegroupLaunchTemplate, pass, referencedResource, resourcesOfType, type RuleOutcome, type TemplateRule } from './template.js';

const SELF_MANAGED_COMPUTE: Readonly<Record<string, string>> = {
  'AWS::AutoScaling::AutoScalingGroup': 'an Auto Scaling group is self-managed compute',
  'AWS::AutoScaling::LaunchConfiguration': 'a launch configuration is for self-managed compute',
  'AWS::EC2::Instance': 'an EC2 instance is self-managed compute',
  'AWS::EC2::EC2Fleet': 'an EC2 fleet is self-managed compute',
  'AWS::EC2::SpotFleet': 'a Spot fleet is self-managed compute',
  'AWS::EKS::FargateProfile': 'Fargate is not FedRAMP-authorised for this platform (ADR-15); nodes must be Bottlerocket managed node groups',
};

export const selfManagedCompute: TemplateRule = (template) => {
  const outcomes: RuleOutcome[] = [];
  for (const [type, reason] of Object.entries(SELF_MANAGED_COMPUTE)) {
    for (const resource of resourcesOfType(template, type)) outcomes.push({ logicalId: resource.logicalId, ...fail(reason) });
  }
  for (const cluster of resourcesOfType(template, 'AWS::EKS::Cluster')) {
    const enabled = asRecord(cluster.properties.ComputeConfig)?.Enabled;
    if (enabled !== undefined && enabled !== false) outcomes.push({ logicalId: cluster.logicalId, ...fail(`EKS Auto Mode compute (ComputeConfig.Enabled ${JSON.stringify(enabled)}) runs nodes outside the managed node groups`) });
  }
  const usedByBottlerocket = new Set(
    resourcesOfType(template, 'AWS::EKS::Nodegroup')
      .filter((nodegroup) => typeof nodegroup.properties.AmiType === 'string' && nodegroup.properties.AmiType.startsWith('BOTTLEROCKET_'))
      .flatMap((nodegroup) => {
        const spec = asRecord(nodegroup.properties.LaunchTemplate);
        return nodegroupLaunchTemplate(template, nodegroup).kind === 'found' ? [(referencedResource(template, spec?.Id) ?? referencedResource(template, spec?.Name))!.logicalId] : [];
      }),
  );
  for (const launchTemplate of resourcesOfType(template, 'AWS::EC2::LaunchTemplate')) {
    outcomes.push(
      usedByBottlerocket.has(launchTemplate.logicalId)
        ? { logicalId: launchTemplate.logicalId, ...pass() }
        : { logicalId: launchTemplate.logicalId, ...fail('no Bottlerocket managed node group uses this launch template, so it can only start self-managed instances') },
    );
  }
  if (outcomes.some((outcome) => outcome.result === 'fail')) return outcomes;
  if (outcomes.length === 0 && resourcesOfType(template, 'AWS::EKS::Nodegroup').length === 0) {
    return [{ logicalId: '*', result: 'not-applicable', reason: 'no compute in the template' }];
  }
  return [...outcomes, { logicalId: '*', ...pass() }];
};
