/**
 * ADR15-EP-1: the Kubernetes API is private, or public only to an explicit allow-list of the
 * operator's own networks.
 *
 * Checks every `AWS::EKS::Cluster`: `EndpointPrivateAccess` literally true, and either
 * `EndpointPublicAccess` literally false or `PublicAccessCidrs` a literal list of IPv4 CIDRs, each
 * /16 or narrower (`MIN_PUBLIC_CIDR_PREFIX`), whose union is not the whole address space
 * (`0.0.0.0/1` + `128.0.0.0/1` fails like `0.0.0.0/0`). CloudFormation's default is a public
 * endpoint open to the internet, so an unset flag fails; so does any value the rule cannot resolve.
 *
 * Cannot see: who owns the listed networks, and the cluster security group's rules for the
 * private endpoint.
 */
import { publicCidrProblems } from '../../common/cidr.js';
import { asRecord, fail, judgeEach, pass, type TemplateRule } from './template.js';

export const privateEndpoint: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Cluster', ({ properties }) => {
    const vpcConfig = asRecord(properties.ResourcesVpcConfig) ?? {};
    if (vpcConfig.EndpointPrivateAccess !== true) return fail('EndpointPrivateAccess is not true');
    if (vpcConfig.EndpointPublicAccess === false) return pass();
    const cidrs = vpcConfig.PublicAccessCidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0) return fail('the endpoint is public to the whole internet (no PublicAccessCidrs)');
    if (!cidrs.every((cidr): cidr is string => typeof cidr === 'string')) return fail(`PublicAccessCidrs ${JSON.stringify(cidrs)} holds a value the rule cannot resolve`);
    const problems = publicCidrProblems(cidrs);
    return problems.length === 0 ? pass() : fail(`public endpoint: ${problems.map((problem) => problem.message).join('; ')}`);
  });
