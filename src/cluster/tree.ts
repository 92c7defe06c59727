/**
 * The rendered cluster layer as files, independent of the controller format, and the pieces
 * both formats share: component ordering, Namespaces with Pod Security Admission labels, and
 * kustomize's `kustomization.yaml` so every folder also builds with plain `kustomize build`.
 */
import type { EnvironmentConfig, PlatformConfig } from '../config/index.js';
import type { ClusterComponent, KubernetesObject } from './component.js';
import { typed } from './typed-objects.js';

export interface KustomizeConfig {
  readonly apiVersion: 'kustomize.config.k8s.io/v1beta1';
  readonly kind: 'Kustomization';
  readonly resources: readonly string[];
}

/** A file of the tree, its path relative to the environment's `cluster/` folder. */
export type ClusterFile =
  | { readonly path: string; readonly objects: readonly KubernetesObject[] }
  | { readonly path: string; readonly kustomize: KustomizeConfig };

export interface ClusterTree {
  readonly controller: PlatformConfig['gitops']['controller'];
  /** Components in dependency order. */
  readonly components: readonly ClusterComponent[];
  readonly files: readonly ClusterFile[];
  /** The environment's `mirror.registry`, where every image is pulled from. @default none */
  readonly mirror?: string;
}

/** Every object the controller applies, in file order (kustomize config excluded). */
export function treeObjects(tree: Pick<ClusterTree, 'files'>): KubernetesObject[] {
  return tree.files.flatMap((file) => ('objects' in file ? file.objects : []));
}

/** Dependencies before dependants, otherwise in the given order; unknown names and cycles are bugs. */
export function orderComponents(components: readonly ClusterComponent[]): ClusterComponent[] {
  const byName = new Map(components.map((component) => [component.name, component]));
  if (byName.size !== components.length) throw new Error('cluster component names must be unique');
  const ordered: ClusterComponent[] = [];
  const visiting = new Set<string>();
  const visit = (component: ClusterComponent) => {
    if (ordered.includes(component)) return;
    if (visiting.has(component.name)) throw new Error(`cluster component dependency cycle through "${component.name}"`);
    visiting.add(component.name);
    for (const dependency of component.dependsOn) {
      const target = byName.get(dependency);
      if (target === undefined) throw new Error(`cluster component "${component.name}" depends on unknown component "${dependency}"`);
      visit(target);
    }
    visiting.delete(component.name);
    ordered.push(component);
  };
  components.forEach(visit);
  return ordered;
}

/** A Namespace whose Pod Security Admission level is enforced, audited and warned at the cluster's version. */
export function namespaceObject(namespace: NonNullable<ClusterComponent['namespace']>, env: Pick<EnvironmentConfig, 'kubernetesVersion'>): KubernetesObject {
  const version = `v${env.kubernetesVersion}`;
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'bottlerocket-eks' };
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    labels[`pod-security.kubernetes.io/${mode}`] = namespace.podSecurity;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return typed.namespace({ metadata: { name: namespace.name, labels } });
}

export function kustomizeFile(folder: string, resources: readonly string[]): ClusterFile {
  return { path: folder === '' ? 'kustomization.yaml' : `${folder}/kustomization.yaml`, kustomize: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources } };
}

/** Files of one folder plus the folder's kustomization.yaml listing them; empty files are left out. */
export function folderFiles(folder: string, files: ReadonlyArray<readonly [name: string, objects: readonly KubernetesObject[]]>): ClusterFile[] {
  const present = files.filter(([, objects]) => objects.length > 0);
  return [
    ...present.map(([name, objects]) => ({ path: folder === '' ? name : `${folder}/${name}`, objects })),
    kustomizeFile(folder, present.map(([name]) => name)),
  ];
}

/** Where the environment's `cluster/` folder sits in the GitOps repository. */
export function repositoryClusterPath(platform: Pick<PlatformConfig, 'gitops'>, env: Pick<EnvironmentConfig, 'name'>): string {
  const base = (platform.gitops.repository?.path ?? 'clusters').replace(/^\.?\/+|\/+$/g, '');
  return `${base}/${env.name}/cluster`;
}
