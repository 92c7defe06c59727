export { loadConfig, parseConfig, type LoadedConfig } from './load.js';
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
