/**
 * A component of the cluster layer (cert-manager, brupop, Falco, Kyverno, the ADR policies, the
 * CIS collector): its namespace, the Helm charts it installs, plain manifests, and which
 * components must be ready first. The renderer turns components into a Flux or Argo CD tree.
 */
import type { WorkloadIdentity } from '../common/names.js';
import type { PinnedImage } from './images.js';
import type { EnvironmentModel, PlatformModel } from '../config/index.js';
import type { PolicyLibrary } from '../policies/index.js';

export interface RenderContext {
  readonly platform: PlatformModel;
  readonly env: EnvironmentModel;
  /**
   * The ADR policy set, read once per run (`loadPolicyLibrary()` of src/policies).
   * @default - the project's `src/policies/`, read for this render
   */
  readonly policies?: PolicyLibrary;
}

/** Pod Security Admission level for a namespace, chosen for what runs there. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** A Kubernetes object as plain data (`apiVersion`, `kind`, `metadata`, ...). Build it from typed classes. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface HelmChart {
  /** Helm release name. */
  readonly releaseName: string;
  readonly repository: { readonly name: string; readonly url: string; readonly type?: 'default' | 'oci' };
  readonly chart: string;
  /** Exact chart version (never a range). */
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ClusterComponent {
  /** Folder and Kustomization/Application name, e.g. `cert-manager`. */
  readonly name: string;
  /** Components that must be ready before this one. */
  readonly dependsOn: readonly string[];
  readonly namespace?: { readonly name: string; readonly podSecurity: PodSecurityLevel };
  /** Installed in the listed order (e.g. a CRD chart before the operator that needs it). */
  readonly charts: readonly HelmChart[];
  readonly manifests: readonly KubernetesObject[];
  /**
   * Service accounts of this component that reach AWS through EKS Pod Identity; the
   * cross-layer gate checks the AWS layer binds exactly these.
   * @default none
   */
  readonly awsIdentities?: readonly WorkloadIdentity[];
  /**
   * Every image the component deploys (chart pods, hooks, sidecars, images passed to pods it
   * creates), as published; the environment's `mirror.registry` decides where they are pulled from.
   * The conformance suite renders each chart and checks it deploys exactly these.
   * @default none
   */
  readonly images?: readonly PinnedImage[];
}

/** A component for one environment, or `undefined` where the environment does not install it. */
export type ComponentFactory = (context: RenderContext) => ClusterComponent | undefined;

/** The components the environment installs, in factory order. */
export function installedComponents(factories: readonly ComponentFactory[], context: RenderContext): ClusterComponent[] {
  return factories.flatMap((factory) => factory(context) ?? []);
}
