import type { ResourceRef } from '../policy-engine/index.js';

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function resourceName(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
