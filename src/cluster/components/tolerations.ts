import type { EnvironmentConfig } from '../../config/index.js';

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: string;
}

/**
 * Tolerations for every taint of the environment's node groups: node agents (Falco, the brupop
 * agent) must run on every node, tainted or not, or those nodes go unaudited and un-updated.
 */
export function tolerateNodeGroupTaints(env: Pick<EnvironmentConfig, 'nodeGroups'>): Toleration[] {
  const seen = new Map<string, Toleration>();
  for (const taint of env.nodeGroups.flatMap((group) => group.taints)) {
    const toleration: Toleration =
      taint.value === undefined
        ? { key: taint.key, operator: 'Exists', effect: taint.effect }
        : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
    seen.set(JSON.stringify(toleration), toleration);
  }
  return [...seen.values()];
}
