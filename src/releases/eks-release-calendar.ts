/**
 * The Amazon EKS Kubernetes release calendar, as facts: for each Kubernetes minor version the day
 * it was released on EKS, the day standard support ends and the day extended support ends, each
 * row with the source it was read from. The user guide's table ("Amazon EKS Kubernetes release
 * calendar") gives the days in UTC+0, and "billing for extended support starts at the beginning of
 * the day that the version reaches end of standard support"; on the end-of-extended-support day
 * "you can no longer create new Amazon EKS clusters with the unsupported version".
 *
 * A version EKS adds later is added here as one row with its source (the user guide page, or
 * `aws eks describe-cluster-versions`, whose `endOfStandardSupportDate` and
 * `endOfExtendedSupportDate` give the same days); until then the calendar gate fails on it
 * (`src/gates/rules/aws/kubernetes-support.ts`), because a version it cannot judge is not a pass.
 */
import { isIsoDay } from './calendar.js';

export interface EksVersionSupport {
  /** Kubernetes minor version, e.g. `1.34`. */
  readonly version: string;
  /** UTC day the version became available on Amazon EKS. */
  readonly eksRelease: string;
  /** UTC day extended support begins (the table's "End of standard support"). */
  readonly endOfStandardSupport: string;
  /** UTC day from which no cluster can be created on the version and EKS upgrades existing ones. */
  readonly endOfExtendedSupport: string;
  /** Where these days were read. */
  readonly source: string;
}

/** The user guide's own source file (awsdocs/amazon-eks-user-guide), at the commit each row was read from. */
const USER_GUIDE = (commit: string) =>
  `https://github.com/awsdocs/amazon-eks-user-guide/blob/${commit}/latest/ug/versioning/kubernetes-versions.adoc#kubernetes-release-calendar (Amazon EKS User Guide, "Amazon EKS Kubernetes release calendar"; rendered at https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html)`;
const USER_GUIDE_WITH_1_34 = USER_GUIDE('013856044148d6eeed4723027a45aa2180536bcb');
const USER_GUIDE_WITH_1_27 = USER_GUIDE('8596db85c9ea47d3c692d8c7c0498f616187d44d');
// The user guide revision holding the 1.35 row was not in the stored sources; two independent
// copies of that table agree on every day of the row (and on every other row with the guide).
const SECONDARY_1_35 =
  'https://endoflife.date/amazon-eks (EKS release 2026-01-28 there, a day later in its timezone) and https://aws-samples.github.io/sample-apex-skills/docs/skills/eks-operation-review/references/cluster-lifecycle (AWS samples, "last verified 2026-04-24"): standard support until March 27, 2027, extended until March 27, 2028; the guide lists 1.35 in https://github.com/awsdocs/amazon-eks-user-guide/blob/0e7fca3762579493a98cb32ab54b137ab194a2d7/latest/ug/versioning/kubernetes-versions-standard.adoc; the EKS release day is from the test fixture of a tool parsing the guide\'s table ("| `1.35` | December 17, 2025 | January 27, 2026 | March 27, 2027 | March 27, 2028 |")';

function row(version: string, eksRelease: string, endOfStandardSupport: string, endOfExtendedSupport: string, source: string): EksVersionSupport {
  for (const day of [eksRelease, endOfStandardSupport, endOfExtendedSupport]) {
    if (!isIsoDay(day)) throw new Error(`eks-release-calendar: ${version}: ${day} is not a YYYY-MM-DD day`);
  }
  if (!(eksRelease < endOfStandardSupport && endOfStandardSupport < endOfExtendedSupport)) throw new Error(`eks-release-calendar: ${version}: days out of order`);
  return { version, eksRelease, endOfStandardSupport, endOfExtendedSupport, source };
}

/** Newest first, as the user guide lists them. */
export const EKS_RELEASE_CALENDAR: readonly EksVersionSupport[] = [
  row('1.35', '2026-01-27', '2027-03-27', '2028-03-27', SECONDARY_1_35),
  row('1.34', '2025-10-02', '2026-12-02', '2027-12-02', USER_GUIDE_WITH_1_34),
  row('1.33', '2025-05-29', '2026-07-29', '2027-07-29', USER_GUIDE_WITH_1_34),
  row('1.32', '2025-01-23', '2026-03-23', '2027-03-23', USER_GUIDE_WITH_1_34),
  row('1.31', '2024-09-26', '2025-11-26', '2026-11-26', USER_GUIDE_WITH_1_34),
  row('1.30', '2024-05-23', '2025-07-23', '2026-07-23', USER_GUIDE_WITH_1_34),
  row('1.29', '2024-01-23', '2025-03-23', '2026-03-23', USER_GUIDE_WITH_1_34),
  row('1.28', '2023-09-26', '2024-11-26', '2025-11-26', USER_GUIDE_WITH_1_27),
  row('1.27', '2023-05-24', '2024-07-24', '2025-07-24', USER_GUIDE_WITH_1_27),
];
