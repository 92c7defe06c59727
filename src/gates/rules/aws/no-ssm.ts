/**
 * ADR15-SSM-1: node roles grant no SSM access, so neither the control nor the admin host
 * container can be reached (ADR-15 "Bottlerocket").
 */
import { asRecord, fail, judgeEach, pass, referencedResource, resourcesOfType, type CfnTemplateJson, type TemplateResource, type TemplateRule } from './template.js';

const SSM_MANAGED_POLICIES = /AmazonSSMManagedInstanceCore|AmazonEC2RoleforSSM|AmazonSSMFullAccess|AmazonSSMManagedEC2InstanceDefaultPolicy/;
const SSM_ACTION = /^(\*|ssm:.*|ssmmessages:.*|ec2messages:.*)$/i;

function statements(document: unknown): Record<string, unknown>[] {
  const statement = asRecord(document)?.Statement;
  return (Array.isArray(statement) ? statement : [statement]).map(asRecord).filter((s): s is Record<string, unknown> => s !== undefined);
}

function grantsSsm(document: unknown): boolean {
  return statements(document).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    return actions.some((action) => typeof action === 'string' && SSM_ACTION.test(action));
  });
}

/** Inline policies of a role: its own `Policies` and `AWS::IAM::Policy` resources attached to it. */
function inlinePolicyDocuments(template: CfnTemplateJson, role: TemplateResource): unknown[] {
  const own = Array.isArray(role.properties.Policies) ? role.properties.Policies.map((policy) => asRecord(policy)?.PolicyDocument) : [];
  const attached = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(({ properties }) => Array.isArray(properties.Roles) && properties.Roles.some((ref) => referencedResource(template, ref)?.logicalId === role.logicalId))
    .map(({ properties }) => properties.PolicyDocument);
  return [...own, ...attached];
}

export const noSsm: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }) => {
    const role = referencedResource(template, properties.NodeRole);
    if (!role || role.resource.Type !== 'AWS::IAM::Role') return fail('the node role is not defined in this template, so its SSM access cannot be checked');
    const managed = JSON.stringify(role.properties.ManagedPolicyArns ?? []);
    if (SSM_MANAGED_POLICIES.test(managed)) return fail(`node role ${role.logicalId} carries an SSM managed policy (${SSM_MANAGED_POLICIES.exec(managed)?.[0]})`);
    if (inlinePolicyDocuments(template, role).some(grantsSsm)) return fail(`node role ${role.logicalId} has an inline policy allowing SSM actions`);
    return pass();
  });
