/**
 * ADR15-SSM-1: node roles grant no SSM access, so neither the control nor the admin host
 * container can be reached (ADR-15 "Bottlerocket": SSM stays off).
 *
 * Checks every `AWS::EKS::Nodegroup`: no `RemoteAccess` (on Bottlerocket an SSH key enables the
 * admin host container), and for its role every permission attached by any means
 * CloudFormation has: the role's inline `Policies` and `ManagedPolicyArns`, and every
 * `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` (`Roles`) and `AWS::IAM::RolePolicy`
 * (`RoleName`) that names it. A statement fails when an allowed action pattern could match an
 * SSM, SSM Messages or EC2 Messages action (`ssm:*`, `ssm*`, `*`, `ss?:Start*` ...), when it
 * allows `NotAction` (everything but a list), or when the rule cannot read it (a condition, a
 * parameter, an import). AWS-managed policies pass only when they are on the short list known to
 * hold no SSM action; AdministratorAccess, PowerUserAccess and every AmazonSSM* fail by name,
 * any other AWS-managed or customer-managed ARN fails because the rule cannot see inside it.
 *
 * Cannot see: permissions granted outside the template (a policy attached later by hand or by
 * another stack to the deployed role name), permission boundaries and SCPs (which can only
 * narrow), and resource policies of SSM documents.
 */
import { asRecord, fail, judgeEach, pass, pointsAt, referencedResource, resourcesOfType, staticString, type CfnTemplateJson, type RuleOutcome, type TemplateResource, type TemplateRule } from './template.js';

/** AWS-managed policies a node may carry: reviewed, no SSM, SSM Messages or EC2 Messages action. */
export const NODE_SAFE_AWS_MANAGED_POLICIES: ReadonlySet<string> = new Set([
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEKS_CNI_Policy',
]);

/** Full access, or SSM by name (AmazonSSM*, AmazonEC2RoleforSSM, ...). */
const BROAD_AWS_MANAGED_POLICY = /^(AdministratorAccess|PowerUserAccess)$|SSM/;

/** One action of each service that reaches a node through SSM; a pattern matching any of them grants SSM. */
const SSM_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssm:StartSession',
  'ssm:SendCommand',
  'ssm:GetParameter',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:GetMessages',
  'ec2messages:AcknowledgeMessage',
];

/** IAM action patterns are case-insensitive, with `*` and `?` wildcards. */
function actionPatternMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** What is wrong with one policy document, or undefined when it grants no SSM access. */
export function documentProblem(document: unknown, where: string): string | undefined {
  const record = asRecord(document);
  if (!record || record.Statement === undefined) return `${where}: the policy document cannot be read (not literal JSON)`;
  const statements = asList(record.Statement);
  for (const [index, raw] of statements.entries()) {
    const statement = asRecord(raw);
    const at = `${where} statement ${statement?.Sid ?? index}`;
    if (!statement || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) return `${at} cannot be read (not literal JSON)`;
    if (statement.Effect === 'Deny') continue;
    if (statement.NotAction !== undefined) return `${at} allows NotAction, which grants every action not listed (SSM included)`;
    for (const action of asList(statement.Action)) {
      if (typeof action !== 'string') return `${at} has an action the rule cannot resolve (${JSON.stringify(action)})`;
      const matched = SSM_ACTIONS.find((ssm) => actionPatternMatches(action, ssm));
      if (matched) return `${at} allows ${action}, which includes ${matched}`;
    }
  }
  return undefined;
}

/** What is wrong with one entry of `ManagedPolicyArns`. */
function managedPolicyProblem(template: CfnTemplateJson, value: unknown, role: string): string | undefined {
  const inTemplate = referencedResource(template, value);
  if (inTemplate?.resource.Type === 'AWS::IAM::ManagedPolicy') return documentProblem(inTemplate.properties.PolicyDocument, `managed policy ${inTemplate.logicalId}`);
  const arn = staticString(value);
  if (arn === undefined) return `node role ${role} has a managed policy ARN the rule cannot resolve (${JSON.stringify(value)})`;
  const awsManaged = /^arn:(?:<AWS::Partition>|aws[a-z-]*):iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  if (awsManaged === undefined) return `node role ${role} carries ${arn}, a policy defined outside this template whose permissions the rule cannot see`;
  if (NODE_SAFE_AWS_MANAGED_POLICIES.has(awsManaged)) return undefined;
  if (BROAD_AWS_MANAGED_POLICY.test(awsManaged)) return `node role ${role} carries the AWS-managed policy ${awsManaged}, which grants SSM access`;
  return `node role ${role} carries the AWS-managed policy ${awsManaged}, which is not on the list known to grant no SSM access (${[...NODE_SAFE_AWS_MANAGED_POLICIES].join(', ')})`;
}

/** Policies elsewhere in the template attached to `role` (or possibly attached: an unresolvable target counts). */
function attachedPolicyProblems(template: CfnTemplateJson, role: TemplateResource): string[] {
  const problems: string[] = [];
  const attachments: Array<{ type: string; targets: (policy: TemplateResource) => unknown[] }> = [
    { type: 'AWS::IAM::Policy', targets: (policy) => asList(policy.properties.Roles ?? []) },
    { type: 'AWS::IAM::ManagedPolicy', targets: (policy) => asList(policy.properties.Roles ?? []) },
    { type: 'AWS::IAM::RolePolicy', targets: (policy) => [policy.properties.RoleName] },
  ];
  for (const { type, targets } of attachments) {
    for (const policy of resourcesOfType(template, type)) {
      const answers = targets(policy).map((target) => pointsAt(template, target, role, 'RoleName'));
      if (answers.includes('unknown')) {
        problems.push(`${type} ${policy.logicalId} attaches to a role the rule cannot resolve, which may be node role ${role.logicalId}`);
      } else if (answers.includes('yes')) {
        const problem = documentProblem(policy.properties.PolicyDocument, `${type} ${policy.logicalId}`);
        if (problem) problems.push(problem);
      }
    }
  }
  return problems;
}

function nodeRoleProblems(template: CfnTemplateJson, role: TemplateResource): string[] {
  const { Policies: inline, ManagedPolicyArns: managed } = role.properties;
  if (inline !== undefined && !Array.isArray(inline)) return [`node role ${role.logicalId} has Policies the rule cannot resolve`];
  if (managed !== undefined && !Array.isArray(managed)) return [`node role ${role.logicalId} has ManagedPolicyArns the rule cannot resolve`];
  return [
    ...(inline ?? []).map((policy: unknown) => documentProblem(asRecord(policy)?.PolicyDocument, `inline policy ${String(asRecord(policy)?.PolicyName ?? '?')} of ${role.logicalId}`)),
    ...(managed ?? []).map((arn: unknown) => managedPolicyProblem(template, arn, role.logicalId)),
    ...attachedPolicyProblems(template, role),
  ].filter((problem): problem is string => problem !== undefined);
}

export const noSsm: TemplateRule = (template) =>
  judgeEach(template, 'AWS::EKS::Nodegroup', ({ properties }): Omit<RuleOutcome, 'logicalId'> => {
    // On Bottlerocket, a node group's SSH key turns on the admin host container (root on the host).
    if (properties.RemoteAccess !== undefined) return fail('RemoteAccess is set: on Bottlerocket an SSH key enables the admin host container');
    const role = referencedResource(template, properties.NodeRole);
    if (!role || role.resource.Type !== 'AWS::IAM::Role') return fail('the node role is not defined in this template, so its SSM access cannot be checked');
    const problems = nodeRoleProblems(template, role);
    return problems.length === 0 ? pass() : fail(problems.join('; '));
  });
