/**
 * EBS performance limits of a node group's data volume that the schema's ranges cannot express:
 * IOPS per GiB (gp3 500, io1 50, io2 1000) and gp3 throughput per IOPS (0.25 MiB/s), as EC2
 * refuses a launch template otherwise (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html).
 */
import { problemAt, type ConfigCheck } from './validator.js';

const IOPS_PER_GIB = { gp3: 500, io1: 50, io2: 1000, gp2: Number.POSITIVE_INFINITY } as const;
const GP3_BASELINE_IOPS = 3000;

export const checkDataVolumes: ConfigCheck = ({ config, source }) =>
  config.environments.flatMap((env, envIndex) =>
    env.nodeGroups.flatMap((group, groupIndex) => {
      const volume = group.dataVolume;
      const at = (field: string) => ['environments', envIndex, 'nodeGroups', groupIndex, 'dataVolume', field];
      const problems = [];
      const perGiB = IOPS_PER_GIB[volume.type];
      if (volume.iops !== undefined && volume.iops > perGiB * volume.sizeGiB) {
        problems.push(problemAt(source, at('iops'), `${volume.type} allows at most ${perGiB} IOPS per GiB: ${volume.sizeGiB} GiB takes at most ${perGiB * volume.sizeGiB}`));
      }
      const iops = volume.iops ?? GP3_BASELINE_IOPS;
      if (volume.type === 'gp3' && volume.throughputMiBps !== undefined && volume.throughputMiBps > iops / 4) {
        problems.push(problemAt(source, at('throughputMiBps'), `gp3 throughput is at most 0.25 MiB/s per IOPS: ${iops} IOPS allow ${iops / 4} MiB/s; raise \`iops\``));
      }
      return problems;
    }),
  );
