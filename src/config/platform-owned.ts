/**
 * Settings the platform owns. ADR-15 keeps the Amazon-managed seal intact ("don't break the
 * seal"): no custom AMI, no user data, IMDSv2 with hop limit 1, no SSM or admin host access.
 * A config that tries to set one of these is refused with the ADR rule it would break, rather
 * than being rejected as a mere unknown key.
 */
export interface PlatformOwnedSetting {
  /** The ADR rule id the setting would break. */
  readonly rule: string;
  readonly why: string;
}

const CUSTOM_AMI: PlatformOwnedSetting = {
  rule: 'ADR15-SEAL-1',
  why: 'custom AMIs break the seal (ADR-15 "Shared responsibility model"); node groups use Amazon\'s Bottlerocket AMI types, chosen by `architecture` and `fips`, at the pinned `releaseVersion`',
};
const USER_DATA: PlatformOwnedSetting = {
  rule: 'ADR15-SEAL-1',
  why: 'user data breaks the seal (ADR-15 "Shared responsibility model"); Bottlerocket settings stay Amazon\'s defaults',
};
const IMDS: PlatformOwnedSetting = {
  rule: 'ADR15-IMDS-1',
  why: 'IMDSv2 with hop limit 1 is fixed by ADR-15 "Shared concerns": pods must not reach IMDS; give them AWS access through EKS Pod Identity',
};
const HOST_ACCESS: PlatformOwnedSetting = {
  rule: 'ADR15-SSM-1',
  why: 'ADR-15 enables neither SSM (control container) nor the admin container nor SSH on Bottlerocket hosts',
};
const AMI_TYPE: PlatformOwnedSetting = {
  rule: 'ADR15-AMI-1',
  why: 'the AMI type follows from `architecture` and `fips`; only Bottlerocket AMI types are allowed (ADR-15 "Decision")',
};

/** Keys (compared case-insensitively, ignoring `-` and `_`) that no node group or environment may set. */
const PLATFORM_OWNED: ReadonlyMap<string, PlatformOwnedSetting> = new Map([
  ['ami', CUSTOM_AMI],
  ['amiid', CUSTOM_AMI],
  ['imageid', CUSTOM_AMI],
  ['image', CUSTOM_AMI],
  ['customami', CUSTOM_AMI],
  ['launchtemplate', CUSTOM_AMI],
  ['amitype', AMI_TYPE],
  ['userdata', USER_DATA],
  ['bootstrap', USER_DATA],
  ['settings', USER_DATA],
  ['bottlerocketsettings', USER_DATA],
  ['hoplimit', IMDS],
  ['httpputresponsehoplimit', IMDS],
  ['metadatahoplimit', IMDS],
  ['httptokens', IMDS],
  ['metadataoptions', IMDS],
  ['imds', IMDS],
  ['imdsv1', IMDS],
  ['ssm', HOST_ACCESS],
  ['enablessm', HOST_ACCESS],
  ['remoteaccess', HOST_ACCESS],
  ['sshkey', HOST_ACCESS],
  ['ec2sshkey', HOST_ACCESS],
  ['admincontainer', HOST_ACCESS],
  ['controlcontainer', HOST_ACCESS],
  ['hostcontainers', HOST_ACCESS],
]);

export function platformOwnedSetting(key: string): PlatformOwnedSetting | undefined {
  return PLATFORM_OWNED.get(key.toLowerCase().replace(/[-_]/g, ''));
}
