/**
 * ADR15-VER-1, the EKS release calendar gate: its day boundaries (exactly 60 days before the end
 * of standard support warns, 61 passes; the end-of-standard day is extended support; the
 * end-of-extended day fails), what it cannot judge (no Version, an unknown version), the upgrade
 * policy in its reason, and how a warning travels: suppressible, strict makes it block, and CDK
 * gets it as a `warning` violation. Every day is passed in; nothing reads the clock.
 */
import { describe, expect, test } from 'vitest';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { validationReport } from '../../src/gates/cdk/report.js';
import { findingsBlock, tallyFindings, type GateFinding } from '../../src/gates/finding.js';
import { evaluateSupportCalendar, type CfnTemplateJson } from '../../src/gates/rules/aws/index.js';
import { applySuppressions } from '../../src/gates/suppressions.js';
import { addDays } from '../../src/releases/calendar.js';
import { EKS_RELEASE_CALENDAR, kubernetesSupportOn } from '../../src/releases/index.js';

function cluster(properties: Record<string, unknown>): CfnTemplateJson {
  return { Resources: { Cluster: { Type: 'AWS::EKS::Cluster', Properties: properties, Metadata: { 'aws:cdk:path': 'fedplat-dev/Cluster/Cluster/Resource' } } } };
}

/** `supportType: null` leaves UpgradePolicy out. */
function judge(version: unknown, day: string, supportType: string | null = 'STANDARD'): GateFinding {
  const properties = { ...(version === undefined ? {} : { Version: version }), ...(supportType === null ? {} : { UpgradePolicy: { SupportType: supportType } }) };
  const findings = evaluateSupportCalendar(cluster(properties), 'fedplat-dev', day);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

describe('ADR15-VER-1 day boundaries (Kubernetes 1.35: standard support until 2027-03-27, extended until 2028-03-27)', () => {
  test.each([
    ['61 days before the end of standard support', '2027-01-25', 'pass', /in EKS standard support until 2027-03-27 \(61 days\)/],
    ['exactly 60 days before', '2027-01-26', 'warn', /leaves EKS standard support on 2027-03-27, in 60 days/],
    ['the last day of standard support', '2027-03-26', 'warn', /in 1 days/],
    ['the end-of-standard-support day (extended billing starts)', '2027-03-27', 'warn', /is in EKS extended support since 2027-03-27 \(366 days until it ends on 2028-03-27\)/],
    ['the last day of extended support', '2028-03-26', 'warn', /1 days until it ends/],
    ['the end-of-extended-support day', '2028-03-27', 'fail', /reached the end of EKS extended support on 2028-03-27: EKS creates no cluster on it/],
    ['a day before its EKS release', '2026-01-26', 'fail', /not released on EKS until 2026-01-27/],
  ])('GIVEN %s (%s) THEN %s', (_what, day, result, reason) => {
    const finding = judge('1.35', day);
    expect(finding).toMatchObject({ id: 'ADR15-VER-1', source: 'ADR-15', resource: 'fedplat-dev/Cluster/Cluster/Resource', result, adrSection: 'Consequences: Updates' });
    expect(finding.reason).toMatch(reason);
    expect(finding.nistControls).toContain('SA-22');
  });

  test('GIVEN the example Kubernetes 1.33 on 2026-12-01 THEN it is in extended support since 2026-07-29, the verified calendar day', () => {
    expect(kubernetesSupportOn('1.33', '2026-12-01')).toMatchObject({ phase: 'extended', daysLeft: 240, calendar: { endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' } });
    expect(kubernetesSupportOn('1.34', '2026-12-01')).toMatchObject({ phase: 'ending', daysLeft: 1 });
    expect(kubernetesSupportOn('1.35', '2026-12-01')).toMatchObject({ phase: 'standard', daysLeft: 116 });
  });
});

describe('ADR15-VER-1 reasons name the upgrade policy', () => {
  test('GIVEN extended support with STANDARD THEN the reason says EKS upgrades the control plane on its own; with EXTENDED THEN it names the price', () => {
    expect(judge('1.33', '2026-12-01', 'STANDARD').reason).toMatch(/upgrade policy STANDARD: EKS upgrades such a control plane on its own/);
    expect(judge('1.33', '2026-12-01', 'EXTENDED').reason).toMatch(/upgrade policy EXTENDED: extended support is charged at about six times/);
    // No UpgradePolicy at all: EKS's own default is EXTENDED.
    expect(judge('1.33', '2026-12-01', null).reason).toMatch(/upgrade policy EXTENDED \(the EKS default: no UpgradePolicy\)/);
  });
});

describe('ADR15-VER-1 fails on what it cannot judge', () => {
  test.each([
    ['a version the calendar does not list', '1.36', /Kubernetes 1\.36 is not in the EKS release calendar \(src\/releases\/eks-release-calendar\.ts\)/],
    ['no Version (EKS would pick its default)', undefined, /Version is not a literal Kubernetes version/],
    ['a Version from a parameter', { Ref: 'KubernetesVersion' }, /Version is not a literal Kubernetes version/],
  ])('GIVEN %s THEN fail', (_what, version, reason) => {
    const finding = judge(version, '2026-12-01');
    expect(finding.result).toBe('fail');
    expect(finding.reason).toMatch(reason);
  });

  test('GIVEN a template without a cluster THEN not applicable, never a pass', () => {
    expect(evaluateSupportCalendar({ Resources: {} }, 'other', '2026-12-01')).toEqual([expect.objectContaining({ id: 'ADR15-VER-1', resource: 'other', result: 'not-applicable' })]);
  });
});

describe('the EKS release calendar facts', () => {
  test('every row has a source, ordered days, and 14 months of standard support then 12 of extended (as the user guide states)', () => {
    expect(EKS_RELEASE_CALENDAR.map((row) => row.version)).toEqual(['1.35', '1.34', '1.33', '1.32', '1.31', '1.30', '1.29', '1.28', '1.27']);
    for (const row of EKS_RELEASE_CALENDAR) {
      expect(row.source).toMatch(/^https:\/\//);
      const months = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
      expect(months(row.eksRelease, row.endOfStandardSupport)).toBeGreaterThanOrEqual(14);
      expect(months(row.endOfStandardSupport, row.endOfExtendedSupport)).toBe(12);
    }
  });
});

describe('a warning travels: suppressible, blocking only when strict, a CDK warning', () => {
  const warning = (): GateFinding => judge('1.33', '2026-12-01');

  test('GIVEN a platform.yaml suppression of ADR15-VER-1 THEN the warning becomes suppressed with both reasons', () => {
    const reason = 'We run 1.33 in extended support until the Q1 2027 upgrade window; reviewed monthly.';
    const { findings } = applySuppressions([warning()], [{ rule: 'ADR15-VER-1', resource: 'Cluster/Cluster/Resource', reason }], { environment: 'dev', stackPath: 'fedplat-dev' }, new Date('2026-12-01T00:00:00Z'));
    expect(findings).toEqual([expect.objectContaining({ result: 'suppressed', reason: expect.stringMatching(/^We run 1\.33 .*was a warning: Kubernetes 1\.33 is in EKS extended support/) })]);
  });

  test('GIVEN warnings only THEN they block only a strict run', () => {
    const tally = tallyFindings([warning(), judge('1.35', '2026-12-01')]);
    expect(tally).toMatchObject({ passed: 1, warned: 1, failed: 0 });
    expect(findingsBlock(tally, false)).toBe(false);
    expect(findingsBlock(tally, true)).toBe(true);
  });

  test('GIVEN cdk mode THEN a warning is a CDK `warning` violation and synthesis succeeds; strict makes it an error', () => {
    const context = { stackTemplates: [{ stackConstructPath: 'fedplat-dev', templatePath: '/t/fedplat-dev.template.json' }] } as unknown as IPolicyValidationContext;
    const recorded = [{ stackPath: 'fedplat-dev', finding: warning(), logicalId: 'Cluster' }];
    const lenient = validationReport(recorded, context, { kind: 'verdict', verdict: (_stack, findings) => findings });
    expect(lenient.success).toBe(true);
    expect(lenient.violations).toEqual([expect.objectContaining({ ruleName: 'ADR15-VER-1', severity: 'warning' })]);
    const strict = validationReport(recorded, context, { kind: 'verdict', verdict: (_stack, findings) => findings, strict: true });
    expect(strict.success).toBe(false);
    expect(strict.violations).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  test('GIVEN the warning window THEN it starts exactly 60 days before the end of standard support for every calendar row', () => {
    for (const row of EKS_RELEASE_CALENDAR) {
      expect(kubernetesSupportOn(row.version, addDays(row.endOfStandardSupport, -61)).phase).toBe('standard');
      expect(kubernetesSupportOn(row.version, addDays(row.endOfStandardSupport, -60)).phase).toBe('ending');
    }
  });
});
