/**
 * Sort the objects of a GitOps folder: what the cluster would run (plain manifests, audited as
 * they are), chart releases (rendered from local charts when the caller has them), and the
 * configuration of kustomize and the GitOps controllers, which no pod comes from.
 */
import type { SourceObject } from '../policy-engine/index.js';
import type { ChartRelease } from './helm-template.js';

/** API groups whose objects configure kustomize or a GitOps controller rather than the cluster's workloads. */
const CONFIGURATION_GROUPS = ['kustomize.config.k8s.io', 'kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io', 'image.toolkit.fluxcd.io'];

export interface SkippedObject {
  readonly object: SourceObject;
  readonly reason: string;
}

export interface ReleaseObject {
  readonly object: SourceObject;
  readonly release: ChartRelease;
}

export interface ClassifiedObjects {
  readonly manifests: readonly SourceObject[];
  readonly releases: readonly ReleaseObject[];
  readonly skipped: readonly SkippedObject[];
}

const get = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A Flux HelmRelease (helm.toolkit.fluxcd.io) as a chart release; undefined when it names no chart by version. */
function fluxRelease(object: Record<string, unknown>): ChartRelease | undefined {
  const chart = text(get(object, 'spec', 'chart', 'spec', 'chart'));
  const version = text(get(object, 'spec', 'chart', 'spec', 'version'));
  const name = text(get(object, 'metadata', 'name'));
  if (chart === undefined || version === undefined || name === undefined) return undefined;
  return {
    releaseName: text(get(object, 'spec', 'releaseName')) ?? name,
    namespace: text(get(object, 'spec', 'targetNamespace')) ?? text(get(object, 'metadata', 'namespace')) ?? 'default',
    chart,
    version,
    values: (get(object, 'spec', 'values') ?? {}) as Record<string, unknown>,
  };
}

/** An Argo CD Application with a Helm chart source as a chart release. */
function argoRelease(object: Record<string, unknown>): ChartRelease | undefined {
  const source = get(object, 'spec', 'source');
  const chart = text(get(source, 'chart'));
  const version = text(get(source, 'targetRevision'));
  if (chart === undefined || version === undefined) return undefined;
  return {
    releaseName: text(get(source, 'helm', 'releaseName')) ?? text(get(object, 'metadata', 'name')) ?? chart,
    namespace: text(get(object, 'spec', 'destination', 'namespace')) ?? 'default',
    chart,
    version,
    values: (get(source, 'helm', 'valuesObject') ?? {}) as Record<string, unknown>,
  };
}

export function classifyObjects(objects: readonly SourceObject[]): ClassifiedObjects {
  const manifests: SourceObject[] = [];
  const releases: ReleaseObject[] = [];
  const skipped: SkippedObject[] = [];
  for (const source of objects) {
    const { object } = source;
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    if (group.startsWith('helm.toolkit.fluxcd.io') && object.kind === 'HelmRelease') {
      const release = fluxRelease(object);
      if (release !== undefined) releases.push({ object: source, release });
      else skipped.push({ object: source, reason: 'HelmRelease without a chart name and exact version' });
    } else if (group === 'argoproj.io' && object.kind === 'Application') {
      const release = argoRelease(object);
      if (release !== undefined) releases.push({ object: source, release });
      else skipped.push({ object: source, reason: 'Argo CD Application syncing plain manifests (they are audited from their folder)' });
    } else if (CONFIGURATION_GROUPS.includes(group)) {
      skipped.push({ object: source, reason: `${group.startsWith('kustomize.config') ? 'kustomize' : 'Flux'} configuration, not a workload` });
    } else {
      manifests.push(source);
    }
  }
  return { manifests, releases, skipped };
}
