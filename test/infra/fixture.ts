/** Shared fixtures: a GovCloud stack with a VPC and a cluster, and the example config. */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePlatformModel, type PlatformModel } from '../../src/config/index.js';
import { BottlerocketCluster, type BottlerocketClusterProps } from '../../src/infra/cluster.js';
import { GATE_CONTEXT } from '../../src/infra/gates/index.js';
import { BottlerocketVpc } from '../../src/infra/network.js';
import { PLATFORM_CONTEXT } from '../../src/infra/platform-app.js';

export const EXAMPLE_CONFIG_TEXT = readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8');

export function exampleConfig(): PlatformModel {
  return parsePlatformModel('platform.yaml', EXAMPLE_CONFIG_TEXT);
}

/** A stack in us-gov-west-1, in an App with the platform's context (and the gates' context, so tests can attach them). */
export function govStack(): Stack {
  const app = new App({ builtinCloudFormationValidation: false, context: { ...PLATFORM_CONTEXT, ...GATE_CONTEXT } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-gov-west-1' } });
  // Named zones keep the fixture offline, as EnvironmentStack does.
  Object.defineProperty(stack, 'availabilityZones', { value: ['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c'] });
  return stack;
}

export function clusterFixture(props: Partial<BottlerocketClusterProps> = {}): { stack: Stack; cluster: BottlerocketCluster } {
  const stack = govStack();
  const { vpc } = new BottlerocketVpc(stack, 'Network', { maxAzs: 3 });
  const cluster = new BottlerocketCluster(stack, 'Cluster', { clusterName: 'test', kubernetesVersion: '1.33', vpc, ...props });
  return { stack, cluster };
}

export function templateJson(stack: Stack): Record<string, unknown> {
  return Template.fromStack(stack).toJSON();
}
