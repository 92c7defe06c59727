/**
 * Typed constructors for every object the renderers create. Each builds the kubernetes-models
 * class of the API version it writes (Flux GA: helm.toolkit.fluxcd.io/v2,
 * source.toolkit.fluxcd.io/v1, kustomize.toolkit.fluxcd.io/v1; Argo CD argoproj.io/v1alpha1),
 * validates it strictly (schema errors and unknown fields, see common/strict-model.ts) and returns
 * plain data, so nothing unvalidated reaches a file.
 */
import { Application, type IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { HelmRelease, type IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Kustomization, type IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { HelmRepository, type IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import { strictlyValidated, type ValidatingModel } from '../common/strict-model.js';
import type { KubernetesObject } from './component.js';

/** A model's data once its schema accepts it whole (unknown fields refused); throws otherwise. */
export function validated(model: ValidatingModel): KubernetesObject {
  return strictlyValidated(model) as KubernetesObject;
}

type Data<T> = Omit<T, 'apiVersion' | 'kind'>;

export const typed = {
  namespace: (data: Data<INamespace>) => validated(new Namespace(data)),
  helmRepository: (data: Data<IHelmRepository>) => validated(new HelmRepository(data)),
  helmRelease: (data: Data<IHelmRelease>) => validated(new HelmRelease(data)),
  fluxKustomization: (data: Data<IKustomization>) => validated(new Kustomization(data)),
  argoApplication: (data: Data<IApplication>) => validated(new Application(data)),
};

/** The model class that validates each GitOps controller kind the renderers write, keyed `apiVersion/kind`. */
export const TYPED_MODELS: Readonly<Record<string, (data: KubernetesObject) => ValidatingModel>> = Object.fromEntries(
  [HelmRelease, HelmRepository, Kustomization, Application].map((Model) => [
    `${Model.apiVersion}/${Model.kind}`,
    (data: KubernetesObject) => new (Model as new (data: unknown) => ValidatingModel)(data),
  ]),
);
