/**
 * The schema of `platform.yaml`: the single source of truth for every layer.
 *
 * Types come from this schema (`z.infer`), never from hand-written interfaces. Every field is
 * documented with `.describe()`; the same text reaches the generated JSON Schema and so the
 * user's editor. Objects are strict: an unknown key is an error, not silently ignored.
 */
import { z } from 'zod';
import { MIN_PUBLIC_CIDR_PREFIX, publicCidrProblems } from '../common/cidr.js';
import { sevenFieldCronProblem } from './cron.js';

/** Bottlerocket release as managed node groups take it: `<major>.<minor>.<patch>-<build>`, e.g. `1.47.0-6154605b`. */
export const RELEASE_VERSION_PATTERN = /^\d+\.\d+\.\d+-[0-9a-f]{8}$/;
/** Kubernetes minor version as EKS takes it, e.g. `1.33`. */
export const KUBERNETES_VERSION_PATTERN = /^1\.\d{2}$/;

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/, 'must be 2-24 characters of lower-case letters, digits and dashes, starting with a letter');

export const releaseVersion = z
  .string()
  .regex(
    RELEASE_VERSION_PATTERN,
    'must be a pinned Bottlerocket release in the `<version>-<build>` form, e.g. `1.47.0-6154605b` (EKS rejects the short form `1.47.0`; see the SSM parameter /aws/service/bottlerocket/aws-k8s-<k8s>/<arch>/latest/image_version)',
  )
  .describe('Pinned Bottlerocket release version, `<version>-<build>` (e.g. `1.47.0-6154605b`).');

export const kubernetesVersion = z
  .string()
  .regex(KUBERNETES_VERSION_PATTERN, 'must be a Kubernetes minor version such as "1.33" (quote it in YAML)')
  .describe('Kubernetes minor version of the EKS control plane and the Bottlerocket variant, e.g. "1.33".');

const taint = z
  .strictObject({
    key: z.string().min(1).describe('Taint key.'),
    value: z.string().optional().describe('Taint value.'),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).describe('Taint effect.'),
  })
  .describe('A Kubernetes taint applied to every node of the group.');

export const nodeGroupSchema = z
  .strictObject({
    name: name.describe('Node group name, unique within the environment.'),
    architecture: z.enum(['x86_64', 'arm64']).default('x86_64').describe('CPU architecture; selects BOTTLEROCKET_x86_64 or BOTTLEROCKET_ARM_64.'),
    fips: z
      .boolean()
      .default(false)
      .describe('Use the FIPS variant of the Bottlerocket AMI type (BOTTLEROCKET_x86_64_FIPS / BOTTLEROCKET_ARM_64_FIPS).'),
    instanceTypes: z
      .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'must be an EC2 instance type such as m7i.large'))
      .min(1)
      .describe('EC2 instance types; they must match `architecture`.'),
    capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND').describe('Capacity type of the node group.'),
    minSize: z.number().int().min(0).describe('Minimum number of nodes.'),
    desiredSize: z.number().int().min(0).describe('Desired number of nodes at creation.'),
    maxSize: z.number().int().min(1).describe('Maximum number of nodes.'),
    releaseVersion,
    labels: z.record(z.string(), z.string()).default({}).describe('Kubernetes labels for the nodes (the platform adds the brupop updater-interface label).'),
    taints: z.array(taint).default([]).describe('Kubernetes taints for the nodes.'),
  })
  .superRefine((group, ctx) => {
    if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['desiredSize'], message: `sizes must satisfy minSize <= desiredSize <= maxSize (got ${group.minSize} <= ${group.desiredSize} <= ${group.maxSize})` });
    }
  })
  .describe('A Bottlerocket EKS managed node group.');

const createVpc = z
  .strictObject({
    cidr: z.cidrv4().default('10.0.0.0/16').describe('IPv4 CIDR of the new VPC.'),
    maxAzs: z.number().int().min(2).max(6).default(3).describe('Availability zones to spread subnets over.'),
    natGateways: z.number().int().min(1).max(6).default(1).describe('NAT gateways for private-subnet egress (one per AZ for production resilience).'),
  })
  .describe('Create a VPC: nodes in private subnets, no public IP auto-assignment, flow logs on.');

const existingVpc = z
  .strictObject({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0abc12345def67890').describe('Id of the existing VPC.'),
    privateSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id such as subnet-0abc12345def67890'))
      .min(2)
      .describe('Private subnets (at least two AZs) for the control-plane ENIs and the nodes.'),
    availabilityZones: z.array(z.string().min(1)).min(2).describe('Availability zones of `privateSubnetIds`, in the same order.'),
  })
  .describe('Use an existing VPC and its private subnets.');

const networkSchema = z
  .union([z.strictObject({ createVpc }), z.strictObject({ existingVpc })])
  .describe('Networking: exactly one of `createVpc` or `existingVpc`.');

const endpointAccessSchema = z
  .strictObject({
    mode: z
      .enum(['private', 'public-and-private'])
      .default('private')
      .describe('Cluster API endpoint access. `private` (default) keeps the API inside the VPC. `public-and-private` is a documented weakening and needs `publicCidrs`.'),
    publicCidrs: z.array(z.cidrv4()).default([]).describe(`With \`public-and-private\`: the only CIDRs allowed to reach the public endpoint. Each must be /${MIN_PUBLIC_CIDR_PREFIX} or narrower, and together they may not cover the whole internet.`),
  })
  .superRefine((access, ctx) => {
    if (access.mode === 'public-and-private' && access.publicCidrs.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['publicCidrs'], message: 'a public endpoint needs an explicit list of allowed CIDRs' });
    }
    if (access.mode === 'private' && access.publicCidrs.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['publicCidrs'], message: 'publicCidrs only applies to mode `public-and-private`' });
    }
    // The same check as ADR15-EP-1 on the template: no entry broader than the minimum prefix, and no union that is the whole internet.
    for (const problem of publicCidrProblems(access.publicCidrs)) {
      ctx.addIssue({ code: 'custom', path: problem.index === undefined ? ['publicCidrs'] : ['publicCidrs', problem.index], message: problem.message });
    }
  })
  .describe('Who can reach the Kubernetes API.');

const evidenceSchema = z
  .strictObject({
    retentionDays: z.number().int().min(1).max(3650).describe('Object Lock retention, in days, of every evidence object (CIS reports, Falco events).'),
    objectLockMode: z
      .enum(['COMPLIANCE', 'GOVERNANCE'])
      .default('COMPLIANCE')
      .describe('S3 Object Lock mode. COMPLIANCE (default): nobody, root included, can shorten retention. GOVERNANCE is a documented weakening for short-lived environments.'),
  })
  .describe('The environment\'s evidence bucket.');

/** 7-field cron as brupop's scheduler takes it: sec min hour day-of-month month day-of-week year. */
const SEVEN_FIELD_CRON = /^(\S+\s+){6}\S+$/;

const updatesSchema = z
  .strictObject({
    maintenanceWindow: z
      .string()
      .regex(SEVEN_FIELD_CRON, 'must be a 7-field cron expression (sec min hour day-of-month month day-of-week year), e.g. "0 0 3 * * Mon-Fri *"')
      // The pattern (also in the JSON Schema for editors) counts fields; this checks each one.
      .superRefine((expression, ctx) => {
        const problem = SEVEN_FIELD_CRON.test(expression) ? sevenFieldCronProblem(expression) : undefined;
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid cron expression (sec min hour day-of-month month day-of-week year, UTC): ${problem}` });
      })
      .default('0 0 3 * * * *')
      .describe('brupop `scheduler_cron_expression`: when nodes may update, 7-field cron, UTC.'),
    maxConcurrentUpdates: z
      .union([z.number().int().min(1), z.literal('unlimited')])
      .default(1)
      .describe('brupop `max_concurrent_updates`: nodes updating at once.'),
    excludeFromLbWaitSeconds: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('brupop `exclude_from_lb_wait_time_in_sec`: seconds to wait after excluding a node from load balancers before draining.'),
  })
  .describe('In-place updates by the Bottlerocket update operator (brupop).');

const FALCO_PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;

const falcoSchema = z
  .strictObject({
    minimumPriority: z.enum(FALCO_PRIORITIES).default('notice').describe('Lowest Falco priority forwarded by falcosidekick.'),
    webhookUrl: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .optional()
      .describe('Optional SOC webhook (https only) that receives every forwarded event.'),
    cloudwatchLogGroup: z
      .string()
      .regex(/^[A-Za-z0-9_\-/.#]{1,512}$/, 'must be a CloudWatch Logs group name')
      .optional()
      .describe('Optional CloudWatch Logs group for the SOC; the AWS layer creates it and grants falcosidekick write access.'),
    leastPrivileged: z
      .boolean()
      .default(true)
      .describe('Run Falco\'s modern eBPF driver with `leastPrivileged` capabilities instead of a privileged container.'),
  })
  .describe('Falco syscall auditing (modern eBPF) and where its events go. Events always go to the evidence bucket under `falco/`.');

const policySchema = z
  .strictObject({
    mode: z
      .enum(['Audit', 'Enforce'])
      .default('Audit')
      .describe('Kyverno policy action: Audit (default, report only) or Enforce (deny admission).'),
  })
  .describe('Kyverno pod-security policies of the ADR.');

const cisSchema = z
  .strictObject({
    intervalHours: z.number().int().min(1).max(168).default(24).describe('How often each node reports its CIS benchmarks.'),
    graceHours: z.number().int().min(0).max(168).default(6).describe('Extra hours before a node\'s missing report counts as stale evidence.'),
    kubernetesLevels: z
      .array(z.union([z.literal(1), z.literal(2)]))
      .min(1)
      .default([1, 2])
      .describe('Levels of the CIS Kubernetes (worker node) benchmark to collect; the Bottlerocket benchmark is always collected at level 1.'),
    image: z
      .string()
      .regex(/^[^\s:@]+(:[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/, 'must be an image reference pinned by digest (`repo@sha256:...`)')
      .describe('The CIS collector image built from this repository\'s Dockerfile, pinned by digest.'),
  })
  .describe('CIS benchmark evidence collection on every node.');

/** A registry host with an optional path, no scheme: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`. */
const REGISTRY_PATH = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

const mirrorSchema = z
  .strictObject({
    registry: z
      .string()
      .regex(REGISTRY_PATH, 'must be a registry host with an optional path and no scheme, e.g. 111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/mirror')
      .describe(
        'Registry (and path prefix) every image of the cluster layer is pulled from instead of its public registry: `<registry>/<repository>:<tag>@<digest>`. Copy the images there first (`bottlerocket-eks images --env <name>` lists source and target).',
      ),
    charts: z
      .string()
      .regex(/^oci:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'must be an OCI registry URL such as oci://111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/charts')
      .optional()
      .describe('OCI registry holding copies of the pinned charts (`<charts>/<chart>:<version>`); Flux then uses an OCI HelmRepository and Argo CD an OCI Helm source instead of the public chart repositories.'),
  })
  .describe('Run the cluster layer from a private mirror (FedRAMP, GovCloud, air-gapped): no image or chart is pulled from the internet.');

const accessSchema = z
  .strictObject({
    clusterAdminRoleArns: z
      .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN'))
      .default([])
      .describe('IAM roles granted cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy).'),
    breakGlassRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN')
      .optional()
      .describe(
        'The only principal that may delete or disable the KMS keys, change their policies or grants, and delete the evidence bucket or change its Object Lock, encryption or policy. Default: the account root user. Later changes to a key or bucket policy deploy with this role.',
      ),
  })
  .describe('Human and pipeline access to the Kubernetes API (access entries).');

export const environmentSchema = z
  .strictObject({
    name: name.describe('Environment name, e.g. dev; also names its stack and output folder.'),
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id (quote it in YAML)').describe('AWS account id.'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1 or us-gov-west-1')
      .describe('AWS region; GovCloud regions (us-gov-*) synthesize to the aws-us-gov partition.'),
    kubernetesVersion,
    network: networkSchema,
    endpointAccess: endpointAccessSchema.default({ mode: 'private', publicCidrs: [] }),
    nodeGroups: z.array(nodeGroupSchema).min(1).describe('Bottlerocket managed node groups.'),
    evidence: evidenceSchema,
    updates: updatesSchema.default({ maintenanceWindow: '0 0 3 * * * *', maxConcurrentUpdates: 1, excludeFromLbWaitSeconds: 0 }),
    falco: falcoSchema.default({ minimumPriority: 'notice', leastPrivileged: true }),
    policy: policySchema.default({ mode: 'Audit' }),
    cis: cisSchema,
    access: accessSchema.default({ clusterAdminRoleArns: [] }),
    mirror: mirrorSchema.optional(),
  })
  .superRefine((env, ctx) => {
    const seen = new Set<string>();
    env.nodeGroups.forEach((group, index) => {
      if (seen.has(group.name)) ctx.addIssue({ code: 'custom', path: ['nodeGroups', index, 'name'], message: `duplicate node group name "${group.name}"` });
      seen.add(group.name);
    });
  })
  .describe('One deployment environment: one AWS account/region, one EKS cluster.');

const suppressionSchema = z
  .strictObject({
    rule: z.string().min(1).describe('Rule id as printed in gates.json, e.g. `AwsSolutions-IAM4` or `ct-eks-pr-1`.'),
    resource: z
      .string()
      .min(1)
      .describe('Construct path (or path prefix ending in `/*`) of the resource, as printed in gates.json.'),
    reason: z.string().min(20, 'a suppression needs a written reason of at least 20 characters').describe('Why this finding is accepted; shown in gates.json and the summary.'),
    environments: z.array(name).optional().describe('Limit the suppression to these environments (default: all).'),
    expires: z
      .iso.date('must be a date such as 2027-03-31')
      .optional()
      .describe('Last day (UTC) the suppression applies, YYYY-MM-DD. From the next day on it no longer applies and synth fails until it is reviewed again.'),
  })
  .describe('An accepted finding: rule, resource and a written reason.');

const gitopsSchema = z
  .strictObject({
    controller: z.enum(['flux', 'argocd']).default('flux').describe('Format of the rendered cluster layer: Flux (default) or Argo CD.'),
    managedArgoCd: z
      .boolean()
      .default(false)
      .describe('With `argocd`: create the EKS Argo CD capability (AWS::EKS::Capability) in the AWS layer.'),
    identityCenterInstanceArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/, 'must be an IAM Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef')
      .optional()
      .describe('With `managedArgoCd`: the IAM Identity Center instance the managed Argo CD signs users in with (AWS::EKS::Capability needs it; synth refuses managedArgoCd without it).'),
    repository: z
      .strictObject({
        url: z.url().describe('Git repository the GitOps controller syncs from.'),
        branch: z.string().min(1).default('main').describe('Branch to sync.'),
        path: z.string().min(1).default('clusters').describe('Folder in the repository holding `<env>/cluster/`.'),
      })
      .optional()
      .describe('Where the rendered cluster layer is committed (used by Argo CD Applications and the docs).'),
  })
  .superRefine((gitops, ctx) => {
    if (gitops.managedArgoCd && gitops.controller !== 'argocd') {
      ctx.addIssue({ code: 'custom', path: ['managedArgoCd'], message: 'managedArgoCd needs `controller: argocd`' });
    }
  })
  .describe('How the cluster layer reaches the clusters.');

export const platformSchema = z
  .strictObject({
    project: name.describe('Project name; prefixes stack and resource names.'),
    promotion: z
      .strictObject({
        order: z.array(name).min(1).describe('Environment names from lowest to highest; releases move through them in this order.'),
        soakDays: z.number().int().min(0).default(7).describe('Days an environment must run a release before the next one may take it.'),
      })
      .describe('Promotion of Bottlerocket and Kubernetes versions through the environments.'),
    gitops: gitopsSchema.default({ controller: 'flux', managedArgoCd: false }),
    environments: z.array(environmentSchema).min(1).describe('The environments, each one EKS cluster.'),
    suppressions: z.array(suppressionSchema).default([]).describe('Accepted gate findings, each with a reason.'),
  })
  .superRefine((platform, ctx) => {
    const names = platform.environments.map((env) => env.name);
    platform.environments.forEach((env, index) => {
      if (names.indexOf(env.name) !== index) ctx.addIssue({ code: 'custom', path: ['environments', index, 'name'], message: `duplicate environment name "${env.name}"` });
      if (!platform.promotion.order.includes(env.name)) {
        ctx.addIssue({ code: 'custom', path: ['environments', index, 'name'], message: `environment "${env.name}" is missing from promotion.order` });
      }
    });
    platform.promotion.order.forEach((entry, index) => {
      if (!names.includes(entry)) ctx.addIssue({ code: 'custom', path: ['promotion', 'order', index], message: `promotion.order names "${entry}", which is not an environment` });
      if (platform.promotion.order.indexOf(entry) !== index) ctx.addIssue({ code: 'custom', path: ['promotion', 'order', index], message: `"${entry}" appears twice in promotion.order` });
    });
  })
  .describe('bottlerocket-eks platform configuration (ADR-15: EKS worker nodes on Bottlerocket).');

export type PlatformConfig = z.infer<typeof platformSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type NodeGroupConfig = z.infer<typeof nodeGroupSchema>;
export type Suppression = z.infer<typeof suppressionSchema>;
