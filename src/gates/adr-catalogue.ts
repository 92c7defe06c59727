/**
 * The project's own rules, one entry per ADR-15 requirement that a machine can check.
 * Ids are stable: they appear in gates.json, in config errors and in suppressions.
 * `nistControls` names the NIST SP 800-53 rev 5 controls each rule supports.
 */
export interface AdrRule {
  readonly id: string;
  readonly title: string;
  /** Section of ADR-15 the rule enforces. */
  readonly adrSection: string;
  readonly nistControls: readonly string[];
}

function rule(id: string, title: string, adrSection: string, nistControls: readonly string[]): AdrRule {
  return { id, title, adrSection, nistControls };
}

export const ADR_RULES = {
  bottlerocketAmi: rule('ADR15-AMI-1', 'Every managed node group uses a Bottlerocket AMI type', 'Decision', ['CM-2', 'CM-6', 'SI-7']),
  sealIntact: rule('ADR15-SEAL-1', 'Launch templates carry no ImageId and no UserData (block device mappings keep the seal: EKS still picks the AMI and merges its own user data)', 'Shared responsibility model', ['CM-2', 'CM-3', 'SI-7']),
  selfManagedCompute: rule('ADR15-SEAL-2', 'All compute is Bottlerocket managed node groups (no Auto Scaling groups, instances, fleets, Fargate or stray launch templates)', 'Shared responsibility model', ['CM-2', 'CM-7', 'SI-7']),
  imdsHopLimit: rule('ADR15-IMDS-1', 'IMDSv2 required with hop limit 1 on every launch template and node group', 'Shared concerns', ['AC-3', 'AC-6', 'SC-7']),
  noSsm: rule('ADR15-SSM-1', 'Node roles grant no SSM access (no control or admin host containers)', 'Bottlerocket', ['AC-6', 'AC-17', 'CM-7']),
  updaterLabel: rule('ADR15-UPD-1', 'Every node group carries bottlerocket.aws/updater-interface-version=2.0.0 for brupop', 'Decision; Consequences: Updates', ['SI-2', 'CM-3']),
  releasePinned: rule('ADR15-REL-1', 'Every node group pins a well-formed Bottlerocket release version', 'Consequences: Updates', ['CM-2', 'CM-3', 'SI-2']),
  promotion: rule('ADR15-PROMO-1', 'An environment runs a release or Kubernetes version only after every earlier environment soaked it', 'Consequences: Updates', ['CM-3', 'CM-4', 'SI-2']),
  kubernetesSupport: rule('ADR15-VER-1', 'The cluster runs a Kubernetes version in EKS standard support: warns within 60 days of its end and in extended support, fails past extended support or on a version the release calendar does not know', 'Consequences: Updates', ['SA-22', 'SI-2', 'CM-3']),
  privateEndpoint: rule('ADR15-EP-1', 'The cluster API endpoint is private (or public with an explicit CIDR allow-list)', 'Security responsibilities', ['AC-17', 'SC-7']),
  controlPlaneLogging: rule('ADR15-LOG-1', 'The cluster sends all five control-plane log types (api, audit, authenticator, controllerManager, scheduler)', 'Security responsibilities', ['AU-2', 'AU-3', 'AU-12']),
  clusterAdmin: rule('ADR15-ACCESS-1', 'Every environment names a cluster admin principal (access entries; the cluster creator gets no access)', 'Security responsibilities', ['AC-2', 'AC-3', 'AC-6']),
  secretsEncryption: rule('ADR15-ENC-1', 'Kubernetes secrets are encrypted with a customer-managed KMS key', 'Security responsibilities', ['SC-12', 'SC-28']),
  gitopsChartPinned: rule('ADR15-GITOPS-1', 'Every Helm release of the cluster layer pins an exact chart version', 'Security agents (gitops approach)', ['CM-2', 'CM-3']),
  gitopsImageTags: rule('ADR15-GITOPS-2', 'Every image the cluster layer deploys (charts, manifests, chart values) is pinned by digest', 'Security agents (gitops approach)', ['CM-2', 'SI-7']),
  gitopsSchema: rule('ADR15-GITOPS-3', 'Every rendered cluster-layer object validates against its schema', 'Security agents (gitops approach)', ['CM-6']),
  gitopsPolicyCompiles: rule('ADR15-GITOPS-4', 'Every Kyverno policy of the cluster layer compiles (CEL) with its exceptions', 'Security responsibilities', ['CM-6', 'SI-7']),
  gitopsLayersAgree: rule('ADR15-GITOPS-5', 'The cluster layer and the AWS layer agree: Pod Identity service accounts and namespaces, and the evidence bucket (the brupop node label is ADR15-UPD-1)', 'Security agents; Shared concerns', ['AC-6', 'AU-9', 'CM-6']),
} as const satisfies Record<string, AdrRule>;

export type AdrRuleKey = keyof typeof ADR_RULES;
