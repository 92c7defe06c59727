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
import { urlCredentialProblem } from './url-credentials.js';

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

/** EBS volume types a Bottlerocket data volume may use (io1/io2 need `iops`). */
export const EBS_VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2'] as const;

const dataVolumeSchema = z
  .strictObject({
    sizeGiB: z
      .number()
      .int()
      .min(20)
      .max(65536)
      .default(20)
      .describe("Size of Bottlerocket's data volume (/dev/xvdb: images, containers, logs) in GiB; at least the AMI's 20 GiB."),
    type: z.enum(EBS_VOLUME_TYPES).default('gp3').describe('EBS volume type of the data volume.'),
    iops: z.number().int().min(100).max(256000).optional().describe('Provisioned IOPS (gp3: 3000-80000, io1/io2: required).'),
    throughputMiBps: z.number().int().min(125).max(2000).optional().describe('Throughput in MiB/s (gp3 only: 125-2000).'),
  })
  .superRefine((volume, ctx) => {
    if (volume.throughputMiBps !== undefined && volume.type !== 'gp3') {
      ctx.addIssue({ code: 'custom', path: ['throughputMiBps'], message: `throughput can only be set on gp3 volumes (this one is ${volume.type})` });
    }
    if (volume.iops !== undefined && volume.type === 'gp2') ctx.addIssue({ code: 'custom', path: ['iops'], message: 'gp2 volumes take no provisioned IOPS; use gp3' });
    if (volume.type === 'gp3' && volume.iops !== undefined && (volume.iops < 3000 || volume.iops > 80000)) {
      ctx.addIssue({ code: 'custom', path: ['iops'], message: `gp3 IOPS must be 3000-80000 (got ${volume.iops})` });
    }
    if ((volume.type === 'io1' || volume.type === 'io2') && volume.iops === undefined) {
      ctx.addIssue({ code: 'custom', path: ['iops'], message: `${volume.type} volumes need provisioned \`iops\`` });
    }
  })
  .describe(
    "Bottlerocket's data volume. Both the OS (/dev/xvda) and data volumes are always encrypted with the environment's node-volume KMS key; the OS volume keeps the AMI's size.",
  );

const nodeGroupUpdateSchema = z
  .strictObject({
    maxUnavailable: z.number().int().min(1).max(100).optional().describe('Nodes that may be unavailable at once during a node group update.'),
    maxUnavailablePercentage: z.number().int().min(1).max(100).optional().describe('The same as a percentage of the nodes.'),
  })
  .superRefine((update, ctx) => {
    if ((update.maxUnavailable === undefined) === (update.maxUnavailablePercentage === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of `maxUnavailable` or `maxUnavailablePercentage`' });
    }
  })
  .describe('How EKS rolls a node group update (UpdateConfig). Default: one node at a time.');

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
    dataVolume: dataVolumeSchema.prefault({}),
    updateConfig: nodeGroupUpdateSchema.prefault({ maxUnavailable: 1 }),
    autoRepair: z
      .boolean()
      .default(true)
      .describe('EKS node auto repair (NodeRepairConfig): unhealthy nodes are replaced. On by default; `false` is a documented weakening.'),
  })
  .superRefine((group, ctx) => {
    if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['desiredSize'], message: `sizes must satisfy minSize <= desiredSize <= maxSize (got ${group.minSize} <= ${group.desiredSize} <= ${group.maxSize})` });
    }
  })
  .describe('A Bottlerocket EKS managed node group.');

/** VPC endpoints the platform can create: S3 as a gateway endpoint, the rest as interface endpoints. */
export const VPC_ENDPOINT_SERVICES = ['s3', 'ecr.api', 'ecr.dkr', 'sts', 'ec2', 'eks', 'eks-auth', 'logs', 'autoscaling'] as const;
export type VpcEndpointService = (typeof VPC_ENDPOINT_SERVICES)[number];

const createVpc = z
  .strictObject({
    cidr: z.cidrv4().default('10.0.0.0/16').describe('IPv4 CIDR of the new VPC.'),
    maxAzs: z.number().int().min(2).max(6).default(3).describe('Availability zones to spread subnets over.'),
    natGateways: z.number().int().min(1).max(6).default(1).describe('NAT gateways for private-subnet egress (one per AZ for production resilience).'),
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, 'must be an availability zone name such as us-gov-west-1a'))
      .min(2)
      .optional()
      .describe("Zones to use, by name (zone letters are mapped per account in some regions). Default: the region's first `maxAzs` zones from the offline table."),
    vpcEndpoints: z
      .array(z.enum(VPC_ENDPOINT_SERVICES))
      .default([])
      .describe('VPC endpoints to create, for node subnets without internet egress: `s3` (gateway) and interface endpoints with private DNS.'),
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

const privateAccessSchema = z
  .strictObject({
    cidrs: z.array(z.cidrv4()).default([]).describe('Connected networks (VPN, Transit Gateway, peered VPCs) allowed to reach the private endpoint on 443.'),
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id such as sg-0abc12345def67890'))
      .default([])
      .describe('Security groups (e.g. of a CI runner in the VPC) allowed to reach the private endpoint on 443.'),
    prefixListIds: z
      .array(z.string().regex(/^pl-[0-9a-f]{8,17}$/, 'must be a managed prefix list id such as pl-0abc12345def67890'))
      .default([])
      .describe('Managed prefix lists allowed to reach the private endpoint on 443.'),
    includeVpcCidr: z.boolean().default(true).describe("With `createVpc`: also allow the VPC's own CIDR (runners and bastions inside the VPC)."),
  })
  .describe('Who may reach the private API endpoint: each entry becomes a port-443 ingress rule on the control-plane security group.');

const endpointAccessSchema = z
  .strictObject({
    mode: z
      .enum(['private', 'public-and-private'])
      .default('private')
      .describe('Cluster API endpoint access. `private` (default) keeps the API inside the VPC. `public-and-private` is a documented weakening and needs `publicCidrs`.'),
    publicCidrs: z.array(z.cidrv4()).default([]).describe(`With \`public-and-private\`: the only CIDRs allowed to reach the public endpoint. Each must be /${MIN_PUBLIC_CIDR_PREFIX} or narrower, and together they may not cover the whole internet.`),
    minimumPublicPrefix: z
      .number()
      .int()
      .min(MIN_PUBLIC_CIDR_PREFIX)
      .max(32)
      .default(MIN_PUBLIC_CIDR_PREFIX)
      .describe(`Shortest prefix a \`publicCidrs\` entry may have: /${MIN_PUBLIC_CIDR_PREFIX} (the platform's limit, also checked by ADR15-EP-1) or narrower.`),
    privateAccess: privateAccessSchema.prefault({}),
  })
  .superRefine((access, ctx) => {
    if (access.mode === 'public-and-private' && access.publicCidrs.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['publicCidrs'], message: 'a public endpoint needs an explicit list of allowed CIDRs' });
    }
    if (access.mode === 'private' && access.publicCidrs.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['publicCidrs'], message: 'publicCidrs only applies to mode `public-and-private`' });
    }
    // The same check as ADR15-EP-1 on the template: no entry broader than the minimum prefix, and no union that is the whole internet.
    for (const problem of publicCidrProblems(access.publicCidrs, access.minimumPublicPrefix)) {
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

/** Daily 03:00-04:59 UTC. */
const DEFAULT_MAINTENANCE_WINDOW = '* * 3-4 * * * *';

/** 7-field cron as brupop's scheduler takes it: sec min hour day-of-month month day-of-week year. */
const SEVEN_FIELD_CRON = /^(\S+\s+){6}\S+$/;

const updatesSchema = z
  .strictObject({
    maintenanceWindow: z
      .string()
      .regex(SEVEN_FIELD_CRON, 'must be a 7-field cron expression (sec min hour day-of-month month day-of-week year), e.g. "* * 3-4 * * Mon-Fri *"')
      // The pattern (also in the JSON Schema for editors) counts fields; this checks each one.
      .superRefine((expression, ctx) => {
        const problem = SEVEN_FIELD_CRON.test(expression) ? sevenFieldCronProblem(expression) : undefined;
        if (problem !== undefined) {
          ctx.addIssue({ code: 'custom', message: `invalid cron expression (sec min hour day-of-month month day-of-week year, UTC): ${problem}` });
          return;
        }
        // brupop 1.4.0 (controller/src/scheduler.rs) treats a schedule whose points are one second
        // apart as a window and stops starting updates outside it; any other expression is a
        // one-shot trigger that updates every waiting node when it fires, with no end.
        if (SEVEN_FIELD_CRON.test(expression) && expression.trim().split(/\s+/)[0] !== '*') {
          ctx.addIssue({
            code: 'custom',
            message: `${JSON.stringify(expression)} is a start time with no end: brupop would update every waiting node when it fires, however long that takes. Give a window with \`*\` seconds, e.g. "* * 3-4 * * Mon-Fri *" (03:00-04:59 UTC, Monday to Friday)`,
          });
        }
      })
      .default(DEFAULT_MAINTENANCE_WINDOW)
      .describe(
        'brupop `scheduler_cron_expression` as a window: 7-field cron, UTC, `*` in the seconds field, so it matches every second of the window (e.g. "* * 3-4 * * Mon-Fri *" is 03:00-04:59 on weekdays). brupop starts node updates only inside it; an update already running when it closes completes. `maxConcurrentUpdates` bounds how many nodes update at once.',
      ),
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
      .superRefine((url, ctx) => {
        const problem = urlCredentialProblem(url);
        if (problem !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `${problem}, and would land in plain text in the GitOps repository. Keep the URL credential-free and put the credential in a Kubernetes Secret in namespace falco (key WEBHOOK_CUSTOMHEADERS, e.g. "Authorization:Bearer <token>", or WEBHOOK_ADDRESS for the full URL), named by falco.webhookCredentialsSecret`,
          });
        }
      })
      .optional()
      .describe('Optional SOC webhook (https only, no credentials in it) that receives every forwarded event.'),
    webhookCredentialsSecret: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes Secret name')
      .max(253)
      .optional()
      .describe(
        'Kubernetes Secret in namespace `falco` (created outside the GitOps repository, e.g. by External Secrets) whose keys become falcosidekick settings: `WEBHOOK_CUSTOMHEADERS` (e.g. "Authorization:Bearer <token>") or `WEBHOOK_ADDRESS`. Credentials never appear in the rendered values.',
      ),
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

const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** Access levels of scoped entries; the AWS layer maps each to its EKS access policy. */
export const ACCESS_LEVELS = ['view', 'edit', 'admin', 'cluster-admin'] as const;

const accessEntrySchema = z
  .strictObject({
    principalArn: z.string().regex(IAM_PRINCIPAL_ARN, 'must be an IAM role or user ARN').describe('IAM role or user ARN, in the environment\'s partition.'),
    policy: z.enum(ACCESS_LEVELS).describe('Access level: view, edit, admin (namespaced admin) or cluster-admin.'),
    namespaces: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'))
      .min(1)
      .optional()
      .describe('Limit the policy to these namespaces (default: cluster-wide). Not allowed with cluster-admin.'),
  })
  .superRefine((entry, ctx) => {
    if (entry.policy === 'cluster-admin' && entry.namespaces) ctx.addIssue({ code: 'custom', path: ['namespaces'], message: 'cluster-admin is cluster-wide; use `admin` for namespace administration' });
  })
  .describe('An access entry with a scoped EKS access policy.');

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
      .describe(
        'IAM roles granted cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy). At least one is required (ADR15-ACCESS-1): the cluster creator gets no admin access.',
      ),
    entries: z.array(accessEntrySchema).default([]).describe('Further access entries with scoped policies.'),
    breakGlassRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN')
      .optional()
      .describe(
        'The only principal that may delete or disable the KMS keys, change their policies or grants, and delete the evidence bucket or change its Object Lock, encryption or policy. Default: the account root user. Later changes to a key or bucket policy deploy with this role.',
      ),
  })
  .describe('Human and pipeline access to the Kubernetes API (access entries).');

/** Expanders of the Cluster Autoscaler that work on AWS (`price` is GCE-only; `priority` needs a ConfigMap). */
export const CLUSTER_AUTOSCALER_EXPANDERS = ['least-waste', 'random', 'most-pods', 'least-nodes'] as const;

const clusterAutoscalerSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe(
        'Install the Cluster Autoscaler (official chart, image matched to `kubernetesVersion`), which resizes the node groups between their minSize and maxSize. Default: on when any node group can change size (maxSize > minSize), off otherwise.',
      ),
    expander: z
      .enum(CLUSTER_AUTOSCALER_EXPANDERS)
      .default('least-waste')
      .describe('Which node group grows when several could host the pending pods (`--expander`): least-waste (default) picks the one left with the least idle CPU and memory.'),
  })
  .describe('Node autoscaling: the Cluster Autoscaler in the cluster layer, with a Pod Identity role that may resize only this cluster\'s node groups.');

/** The retention values CloudWatch Logs accepts (AWS::Logs::LogGroup RetentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

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
    endpointAccess: endpointAccessSchema.prefault({}),
    nodeGroups: z.array(nodeGroupSchema).min(1).describe('Bottlerocket managed node groups.'),
    evidence: evidenceSchema,
    updates: updatesSchema.default({ maintenanceWindow: DEFAULT_MAINTENANCE_WINDOW, maxConcurrentUpdates: 1, excludeFromLbWaitSeconds: 0 }),
    falco: falcoSchema.default({ minimumPriority: 'notice', leastPrivileged: true }),
    policy: policySchema.default({ mode: 'Audit' }),
    cis: cisSchema,
    access: accessSchema.prefault({}),
    controlPlaneLogs: z
      .strictObject({
        retentionDays: z
          .literal(LOG_RETENTION_DAYS)
          .default(365)
          .describe(`Retention of /aws/eks/<cluster>/cluster in days; one of CloudWatch Logs' values: ${LOG_RETENTION_DAYS.join(', ')}.`),
      })
      .prefault({})
      .describe('The control-plane (API audit) log group, created by the stack before the cluster, encrypted with a customer-managed key.'),
    kubernetesSupport: z
      .enum(['standard', 'extended'])
      .default('standard')
      .describe('EKS UpgradePolicy. `standard` (default): EKS upgrades the control plane when standard support ends. `extended` keeps the version at about six times the control-plane price: an explicit switch.'),
    mirror: mirrorSchema.optional(),
    clusterAutoscaler: clusterAutoscalerSchema.prefault({}),
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
      .regex(/^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/, 'must be an IAM Identity Center instance ARN such as arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef (in the environments\' partition)')
      .optional()
      .describe('With `managedArgoCd`: the IAM Identity Center instance the managed Argo CD signs users in with (AWS::EKS::Capability needs it; synth refuses managedArgoCd without it).'),
    argoCdRoleMappings: z
      .array(
        z.strictObject({
          role: z.enum(['ADMIN', 'EDITOR', 'VIEWER']).describe('Built-in Argo CD role.'),
          identities: z
            .array(
              z.strictObject({
                id: z.string().min(1).describe('IAM Identity Center user or group id.'),
                type: z.enum(['SSO_USER', 'SSO_GROUP']).describe('Identity kind.'),
              }),
            )
            .min(1)
            .describe('Identity Center users or groups given this role.'),
        }),
      )
      .default([])
      .describe('With `managedArgoCd`: who may use Argo CD, as Argo CD role → Identity Center identities (the capability\'s rbacRoleMappings).'),
    argoCdDeployAccess: z
      .strictObject({
        policy: z.enum(['edit', 'admin', 'cluster-admin']).default('cluster-admin').describe('EKS access policy of the capability role on its own cluster.'),
        namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name')).min(1).optional().describe('Limit it to these namespaces (not with cluster-admin).'),
      })
      .superRefine((access, ctx) => {
        if (access.policy === 'cluster-admin' && access.namespaces) ctx.addIssue({ code: 'custom', path: ['namespaces'], message: 'cluster-admin is cluster-wide; use `admin` or `edit` for namespaces' });
      })
      .prefault({})
      .describe('With `managedArgoCd`: what Argo CD may deploy to the cluster (the access policy for the access entry EKS creates for the capability role; the stack prints the one-time `aws eks associate-access-policy` command as output ArgoCdAccessPolicyCommand). The cluster layer installs cluster-wide objects, hence cluster-admin by default.'),
    repository: z
      .strictObject({
        url: z
          .url()
          .superRefine((url, ctx) => {
            const problem = urlCredentialProblem(url);
            if (problem !== undefined) {
              ctx.addIssue({
                code: 'custom',
                message: `${problem}, and would land in plain text in every Argo CD Application. Keep the URL credential-free and give Argo CD the credential in a repository Secret (label argocd.argoproj.io/secret-type: repository, same url) or a GitHub App; Flux reads it from the GitRepository's secretRef`,
              });
            }
          })
          .describe('Git repository the GitOps controller syncs from, without credentials (they go in an Argo CD repository Secret or the Flux GitRepository secretRef).'),
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
    gitops: gitopsSchema.prefault({}),
    environments: z.array(environmentSchema).min(1).describe('The environments, each one EKS cluster.'),
    suppressions: z.array(suppressionSchema).default([]).describe('Accepted gate findings, each with a reason.'),
    deployment: z
      .strictObject({
        synthesizer: z
          .enum(['default', 'bootstrapless'])
          .default('default')
          .describe(
            '`default`: templates use the roles and BootstrapVersion parameter of `cdk bootstrap`. `bootstrapless`: no bootstrap parameter or roles, for StackSets, Service Catalog or Account Factory (the platform has no assets).',
          ),
      })
      .prefault({})
      .describe('How the synthesized templates are deployed.'),
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
