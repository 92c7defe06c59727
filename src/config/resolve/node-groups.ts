/**
 * Node groups: the Bottlerocket AMI type from `architecture` and `fips`, and every instance type
 * of the right architecture (EKS would refuse the node group at deploy time otherwise).
 *
 * The architecture of an instance type is aws-cdk-lib's own answer (`ec2.InstanceType`), loaded
 * from its module file alone: the `aws-cdk-lib/aws-ec2` entry point loads the whole EC2 library
 * (over a second), which `config validate` must not pay; this file loads in milliseconds and
 * requires aws-cdk-lib's core only when a method needs it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InstanceType as Ec2InstanceType } from 'aws-cdk-lib/aws-ec2';
import type { NodeGroupConfig } from '../schema.js';
import type { BottlerocketAmiType } from '../model.js';
import { problemAt, type ConfigCheck } from './validator.js';

const require = createRequire(import.meta.url);
const { InstanceType } = require(join(dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-ec2', 'lib', 'instance-types.js')) as {
  InstanceType: new (identifier: string) => Ec2InstanceType;
};

const AMI_TYPES: Readonly<Record<NodeGroupConfig['architecture'], { readonly standard: BottlerocketAmiType; readonly fips: BottlerocketAmiType }>> = {
  x86_64: { standard: 'BOTTLEROCKET_x86_64', fips: 'BOTTLEROCKET_x86_64_FIPS' },
  arm64: { standard: 'BOTTLEROCKET_ARM_64', fips: 'BOTTLEROCKET_ARM_64_FIPS' },
};

/** The managed node group AMI type for an architecture and FIPS choice. */
export function bottlerocketAmiType(architecture: NodeGroupConfig['architecture'], fips: boolean): BottlerocketAmiType {
  return AMI_TYPES[architecture][fips ? 'fips' : 'standard'];
}

/** `x86_64` or `arm64`, as aws-cdk-lib's `InstanceType.architecture` reports it. */
export function instanceArchitecture(instanceType: string): string {
  return new InstanceType(instanceType).architecture;
}

export const checkInstanceArchitectures: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, envIndex) =>
    env.nodeGroups.flatMap((group, groupIndex) =>
      group.instanceTypes.flatMap((type, typeIndex) =>
        instanceArchitecture(type) === group.architecture
          ? []
          : [
              problemAt(
                source,
                ['environments', envIndex, 'nodeGroups', groupIndex, 'instanceTypes', typeIndex],
                `instance type ${type} does not match architecture ${group.architecture} of node group "${group.name}"; pick ${group.architecture === 'arm64' ? 'Graviton (e.g. m7g.large)' : 'x86_64 (e.g. m7i.large)'} instance types or change \`architecture\``,
              ),
            ],
      ),
    ),
  );
