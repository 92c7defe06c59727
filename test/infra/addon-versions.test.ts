/**
 * The CDK layer sets `AddonVersion` on every `AWS::EKS::Addon` from the environment's pins
 * (issue 11 item 7), the Pod Identity agent aws-eks-v2 creates included; an add-on without a pin
 * has none (EKS's default), which ADR15-PROMO-1 reports as a warning.
 */
import { describe, expect, test } from 'vitest';
import { buildPlatformApp } from '../../src/infra/platform-app.js';
import { parsePlatformModel } from '../../src/config/index.js';
import { userInputErrorOf } from '../support/refusal.js';
import { EXAMPLE_CONFIG_TEXT } from './fixture.js';

interface AddonResource {
  readonly Type: string;
  readonly Properties: { readonly AddonName: string; readonly AddonVersion?: string; readonly ClusterName: unknown };
}

function addonVersionsOf(configText: string, environment: string): Record<string, string | undefined> {
  const model = parsePlatformModel('platform.yaml', configText);
  const { app, stacks } = buildPlatformApp(model, { environments: [environment] });
  const template = app.synth().getStackByName(stacks.get(environment)!.stackName).template as { Resources: Record<string, AddonResource> };
  const addons = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::EKS::Addon');
  return Object.fromEntries(addons.map((addon) => [addon.Properties.AddonName, addon.Properties.AddonVersion]));
}

describe('AWS::EKS::Addon AddonVersion from environments[].addons', () => {
  test('GIVEN the example dev environment THEN the three pinned add-ons carry their versions and the two unpinned carry none', () => {
    expect(addonVersionsOf(EXAMPLE_CONFIG_TEXT, 'dev')).toEqual({
      'vpc-cni': 'v1.20.1-eksbuild.3',
      'kube-proxy': 'v1.33.5-eksbuild.2',
      coredns: 'v1.12.4-eksbuild.1',
      'aws-ebs-csi-driver': undefined,
      'eks-pod-identity-agent': undefined,
    });
  });

  test('GIVEN pins for the EBS CSI driver and the Pod Identity agent THEN both are set, the agent on the add-on aws-eks-v2 creates', () => {
    const pinned = EXAMPLE_CONFIG_TEXT.replace('      coredns: v1.12.4-eksbuild.1\n', '      coredns: v1.12.4-eksbuild.1\n      aws-ebs-csi-driver: v1.50.1-eksbuild.1\n      eks-pod-identity-agent: v1.3.8-eksbuild.2\n');
    expect(pinned).not.toBe(EXAMPLE_CONFIG_TEXT);
    const versions = addonVersionsOf(pinned, 'dev');
    expect(versions['aws-ebs-csi-driver']).toBe('v1.50.1-eksbuild.1');
    expect(versions['eks-pod-identity-agent']).toBe('v1.3.8-eksbuild.2');
  });

  test('GIVEN an add-on version of the wrong form THEN config validation refuses it with its position', () => {
    const bad = EXAMPLE_CONFIG_TEXT.replace('      vpc-cni: v1.20.1-eksbuild.3\n', '      vpc-cni: 1.20.1\n');
    expect(userInputErrorOf(() => parsePlatformModel('platform.yaml', bad)).format()).toMatch(/^platform\.yaml:\d+:\d+: environments\[0\]\.addons\.vpc-cni: must be an EKS add-on version such as `v1\.20\.1-eksbuild\.3`/);
  });
});
