/**
 * Typed constructors for every object the renderers create. Each builds the
 * kubernetes-models class, runs its schema validation and returns plain data, so nothing
 * unvalidated reaches a file.
 *
 * Flux: @kubernetes-models/flux-cd 2.3.4 ships HelmRelease only up to v2beta2 and
 * HelmRepository up to v1beta2, both removed from current Flux. Their GA successors
 * (helm.toolkit.fluxcd.io/v2, source.toolkit.fluxcd.io/v1) are backward compatible for every
 * field used here, so objects are typed and validated against the last beta schema and written
 * with the GA apiVersion.
 */
import { Application, type IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { HelmRelease, type IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease';
import { Kustomization, type IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { HelmRepository, type IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import type { KubernetesObject } from './component.js';

export const FLUX_API_VERSIONS = {
  helmRelease: 'helm.toolkit.fluxcd.io/v2',
  helmRepository: 'source.toolkit.fluxcd.io/v1',
  kustomization: 'kustomize.toolkit.fluxcd.io/v1',
} as const;

interface ValidatingModel {
  validate(): void;
  toJSON(): unknown;
}

function validated(model: ValidatingModel, apiVersion?: string): KubernetesObject {
  model.validate();
  const data = model.toJSON() as KubernetesObject;
  return apiVersion === undefined ? data : { ...data, apiVersion };
}

type Data<T> = Omit<T, 'apiVersion' | 'kind'>;

export const typed = {
  namespace: (data: Data<INamespace>) => validated(new Namespace(data)),
  helmRepository: (data: Data<IHelmRepository>) => validated(new HelmRepository(data), FLUX_API_VERSIONS.helmRepository),
  helmRelease: (data: Data<IHelmRelease>) => validated(new HelmRelease(data), FLUX_API_VERSIONS.helmRelease),
  fluxKustomization: (data: Data<IKustomization>) => validated(new Kustomization(data)),
  argoApplication: (data: Data<IApplication>) => validated(new Application(data)),
};

/** The typed model that validates each controller kind, keyed `apiVersion/kind` (GA Flux kinds: see the module comment). */
export const TYPED_MODELS: Readonly<Record<string, (data: KubernetesObject) => ValidatingModel>> = {
  [`${FLUX_API_VERSIONS.helmRelease}/HelmRelease`]: (data) => new HelmRelease({ ...(data as object), apiVersion: HelmRelease.apiVersion } as IHelmRelease),
  [`${FLUX_API_VERSIONS.helmRepository}/HelmRepository`]: (data) =>
    new HelmRepository({ ...(data as object), apiVersion: HelmRepository.apiVersion } as IHelmRepository),
  [`${FLUX_API_VERSIONS.kustomization}/Kustomization`]: (data) => new Kustomization(data as unknown as IKustomization),
  [`${Application.apiVersion}/Application`]: (data) => new Application(data as unknown as IApplication),
};
