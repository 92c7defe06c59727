/**
 * Offline facts about AWS regions that synthesis and `config validate` need without calling
 * AWS: the availability zones of each region, by name. Zone letters are not always
 * contiguous (ap-northeast-1 has a, c, d), and in a few regions they are mapped per account
 * (`zones` absent): there the config must name its zones.
 *
 * Sources: the AWS General Reference (Regions and Zones) and the AWS GovCloud (US) User Guide.
 */

export interface RegionFacts {
  /** Zone letters, e.g. `abc`; absent when letters differ between accounts. */
  readonly zones?: string;
  /** Zones an account sees, when the letters are account-mapped. */
  readonly zoneCount: number;
}

const REGIONS: Readonly<Record<string, RegionFacts>> = {
  'us-east-1': { zones: 'abcdef', zoneCount: 6 },
  'us-east-2': { zones: 'abc', zoneCount: 3 },
  'us-west-1': { zoneCount: 2 },
  'us-west-2': { zones: 'abcd', zoneCount: 4 },
  'us-gov-west-1': { zones: 'abc', zoneCount: 3 },
  'us-gov-east-1': { zones: 'abc', zoneCount: 3 },
  'ca-central-1': { zones: 'abd', zoneCount: 3 },
  'ca-west-1': { zones: 'abc', zoneCount: 3 },
  'mx-central-1': { zones: 'abc', zoneCount: 3 },
  'sa-east-1': { zones: 'abc', zoneCount: 3 },
  'eu-west-1': { zones: 'abc', zoneCount: 3 },
  'eu-west-2': { zones: 'abc', zoneCount: 3 },
  'eu-west-3': { zones: 'abc', zoneCount: 3 },
  'eu-central-1': { zones: 'abc', zoneCount: 3 },
  'eu-central-2': { zones: 'abc', zoneCount: 3 },
  'eu-north-1': { zones: 'abc', zoneCount: 3 },
  'eu-south-1': { zones: 'abc', zoneCount: 3 },
  'eu-south-2': { zones: 'abc', zoneCount: 3 },
  'il-central-1': { zones: 'abc', zoneCount: 3 },
  'me-south-1': { zones: 'abc', zoneCount: 3 },
  'me-central-1': { zones: 'abc', zoneCount: 3 },
  'af-south-1': { zones: 'abc', zoneCount: 3 },
  'ap-east-1': { zones: 'abc', zoneCount: 3 },
  'ap-south-1': { zones: 'abc', zoneCount: 3 },
  'ap-south-2': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-1': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-2': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-3': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-4': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-5': { zones: 'abc', zoneCount: 3 },
  'ap-southeast-7': { zones: 'abc', zoneCount: 3 },
  'ap-northeast-1': { zones: 'acd', zoneCount: 3 },
  'ap-northeast-2': { zones: 'abcd', zoneCount: 4 },
  'ap-northeast-3': { zones: 'abc', zoneCount: 3 },
  'cn-north-1': { zones: 'abd', zoneCount: 3 },
  'cn-northwest-1': { zones: 'abc', zoneCount: 3 },
};

export function regionFacts(region: string): RegionFacts | undefined {
  return REGIONS[region];
}

/** Zone names of a region from the table, or undefined when the table cannot name them. */
export function zoneNames(region: string): string[] | undefined {
  const zones = REGIONS[region]?.zones;
  return zones === undefined ? undefined : [...zones].map((letter) => `${region}${letter}`);
}
