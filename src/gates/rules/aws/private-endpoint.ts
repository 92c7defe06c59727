/**
 * ADR15-EP-1: the Kubernetes API is private, or public only to an explicit CIDR allow-list.
 * CloudFormation's default is a public endpoint open to the internet, so an unset flag fails.
 */
import { asRecord, fail, judgeEach, pass, type TemplateRule } from './template.js';

export const privateEndpoint: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Cluster', ({ properties }) => {
    const vpcConfig = asRecord(properties.ResourcesVpcConfig) ?? {};
    if (vpcConfig.EndpointPrivateAccess !== true) return fail('EndpointPrivateAccess is not true');
    if (vpcConfig.EndpointPublicAccess === false) return pass();
    const cidrs = vpcConfig.PublicAccessCidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0) return fail('the endpoint is public to the whole internet (no PublicAccessCidrs)');
    if (cidrs.some((cidr) => typeof cidr !== 'string' || cidr.endsWith('/0'))) return fail(`PublicAccessCidrs ${JSON.stringify(cidrs)} includes the whole internet or an unresolved value`);
    return pass();
  });
