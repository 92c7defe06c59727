export { loadConfig, loadPlatformModel, parseConfig, parsePlatformModel, type LoadedConfig } from './load.js';
export { type ArgoCdModel, type ClusterAutoscalerModel, type BottlerocketAmiType, type EnvironmentModel, type NodeGroupModel, type PlatformModel, type SubnetGroupModel } from './model.js';
export {
  resolvePlatform,
  CHECKS,
  bottlerocketAmiType,
  CIS_COLLECTOR_REPOSITORY,
  defaultAvailabilityZones,
  imageRepositoryName,
  instanceArchitecture,
  partitionOf,
  arnPartition,
  CLUSTER_ADMIN_RULE,
  networkOf,
  regionFacts,
  zoneNames,
  problemAt,
  S3_BUCKET_NAME_MAX,
  SUBNET_GROUPS,
  type ConfigCheck,
  type ResolveInput,
} from './resolve/index.js';
export { platformJsonSchema } from './json-schema.js';
export {
  platformSchema,
  environmentSchema,
  nodeGroupSchema,
  RELEASE_VERSION_PATTERN,
  KUBERNETES_VERSION_PATTERN,
  type PlatformConfig,
  type EnvironmentConfig,
  type NodeGroupConfig,
  type Suppression,
  type VpcEndpointService,
} from './schema.js';
