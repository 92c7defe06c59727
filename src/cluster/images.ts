/**
 * Every container image the cluster layer deploys, with the digest it is pinned to: what each
 * pinned chart deploys with the values we generate (the conformance suite renders every chart with
 * Helm and compares its images with this file), plus the project's own collector.
 *
 * A digest is recorded only when it was read from a real source (named in `digestSource`); an
 * image whose digest could not be established says so in `digestSource` and has none, so
 * ADR15-GITOPS-2 fails on it until someone records it (`crane digest <source>` or
 * `skopeo inspect --format '{{.Digest}}' docker://<source>`) — never a made-up value.
 *
 * `mirror.registry` rewrites every image to `<mirror>/<repository>`, keeping tag and digest, so a
 * copy job (crane, skopeo, regctl) copies `source` to `target` as `bottlerocket-eks images` lists them.
 */
import { CLUSTER_AUTOSCALER_RELEASES, type AutoscaledKubernetesVersion } from '../common/cluster-autoscaler.js';

export interface PinnedImage {
  /** Registry host the image is published on, e.g. `docker.io`. */
  readonly registry: string;
  /** Repository path below the registry, e.g. `falcosecurity/falco`. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<64 hex>`; absent when it could not be established (see `digestSource`). */
  readonly digest?: string;
  /** Where the digest was read, or why there is none. */
  readonly digestSource: string;
}

const NOT_ESTABLISHED = 'NOT ESTABLISHED: no real source for this digest was reachable offline; record it from the registry before deploying';

// Searched again on 2026-12-01 for the images below that have none (public code, issues and pages:
// Renovate/Dependabot pins, GitOps repositories, cosign verification transcripts, chart READMEs; the
// brupop repository and its v1.4.0 release manifest, which pin by tag only): no source records the
// digest of brupop v1.4.0, falcosidekick 2.31.1 or any Kyverno v1.19.0 image (public repositories
// pin Kyverno v1.17.0, v1.18.2 and v1.19.1 by digest, not v1.19.0). A digest of another tag, or of
// one platform's manifest instead of the multi-arch index (x86_64 and arm64 node groups), would
// be worse than none.

function image(registry: string, repository: string, tag: string, digest: string | undefined, digestSource: string): PinnedImage {
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`bad digest for ${registry}/${repository}:${tag}`);
  return { registry, repository, tag, ...(digest === undefined ? {} : { digest }), digestSource };
}

const CLUSTER_AUTOSCALER_REPOSITORY = 'autoscaling/cluster-autoscaler';

const CERT_MANAGER_SOURCE = 'published image index digest, as pinned in public GitOps repositories that render cert-manager v1.21.1 (search corpus: code)';

export const IMAGES = {
  // cert-manager chart v1.21.1 (appVersion v1.21.1).
  certManagerController: image('quay.io', 'jetstack/cert-manager-controller', 'v1.21.1', 'sha256:416a2d76870d996460e62bd7f521bf14fa017be9e3e904aab92163a331fcb61a', CERT_MANAGER_SOURCE),
  certManagerCainjector: image('quay.io', 'jetstack/cert-manager-cainjector', 'v1.21.1', 'sha256:ccf6b919ec0500745a47a910118f834f9636d0aac1ff221245cd2557ed8c7c98', CERT_MANAGER_SOURCE),
  certManagerWebhook: image('quay.io', 'jetstack/cert-manager-webhook', 'v1.21.1', 'sha256:d8b3961b51c8c7320633f8208dc46bf88aa13804d0f7cbe48a096b2c523cee42', CERT_MANAGER_SOURCE),
  certManagerStartupApiCheck: image('quay.io', 'jetstack/cert-manager-startupapicheck', 'v1.21.1', 'sha256:d8ab6416e6e7303a86fa0a8daa82c94a8001f21c9d78eb2e7db20534e5d07ae8', CERT_MANAGER_SOURCE),
  // Not a pod of the chart: the controller passes it to the ACME HTTP-01 solver pods it creates.
  certManagerAcmeSolver: image('quay.io', 'jetstack/cert-manager-acmesolver', 'v1.21.1', 'sha256:dbc7cc1354f603918e7c5af7f55a0a620537394452c93a565bde75c6f48e8837', CERT_MANAGER_SOURCE),
  // brupop chart 1.4.0: one image for agent, API server and controller.
  brupop: image('public.ecr.aws', 'bottlerocket/bottlerocket-update-operator', 'v1.4.0', undefined, NOT_ESTABLISHED),
  // Falco chart 9.1.0 (appVersion 0.44.1). falcoctl is not deployed: artifact install and follow are off.
  falco: image('docker.io', 'falcosecurity/falco', '0.44.1', 'sha256:d0cfe422d6ac0e0f20857798f46c7d7273210e1b064b22821e4e6e7f843cde6b', 'image index digest, as pinned in several public repositories running Falco 0.44.1 with chart 9.1.0 (search corpus: code)'),
  // Not the subchart's default (2.32.0, which cannot write to the Object Lock bucket with Pod Identity): see falco.ts.
  falcosidekick: image('docker.io', 'falcosecurity/falcosidekick', '2.31.1', undefined, NOT_ESTABLISHED),
  // Kyverno chart 3.9.0 (appVersion v1.19.0).
  kyvernoPre: image('reg.kyverno.io', 'kyverno/kyvernopre', 'v1.19.0', undefined, NOT_ESTABLISHED),
  kyverno: image('reg.kyverno.io', 'kyverno/kyverno', 'v1.19.0', undefined, NOT_ESTABLISHED),
  kyvernoBackgroundController: image('reg.kyverno.io', 'kyverno/background-controller', 'v1.19.0', undefined, NOT_ESTABLISHED),
  kyvernoCleanupController: image('reg.kyverno.io', 'kyverno/cleanup-controller', 'v1.19.0', undefined, NOT_ESTABLISHED),
  kyvernoReportsController: image('reg.kyverno.io', 'kyverno/reports-controller', 'v1.19.0', undefined, NOT_ESTABLISHED),
  // Hooks: CRD migration after upgrades, webhook cleanup before delete.
  kyvernoCli: image('reg.kyverno.io', 'kyverno/kyverno-cli', 'v1.19.0', undefined, NOT_ESTABLISHED),
  kyvernoReadinessChecker: image('ghcr.io', 'kyverno/readiness-checker', 'v1.19.0', undefined, NOT_ESTABLISHED),
  // Cluster Autoscaler (chart 9.59.0): one release per Kubernetes minor, the tags from src/common/cluster-autoscaler.ts.
  clusterAutoscaler133: image('registry.k8s.io', CLUSTER_AUTOSCALER_REPOSITORY, CLUSTER_AUTOSCALER_RELEASES['1.33'], undefined, NOT_ESTABLISHED),
  clusterAutoscaler134: image('registry.k8s.io', CLUSTER_AUTOSCALER_REPOSITORY, CLUSTER_AUTOSCALER_RELEASES['1.34'], undefined, NOT_ESTABLISHED),
  clusterAutoscaler135: image(
    'registry.k8s.io',
    CLUSTER_AUTOSCALER_REPOSITORY,
    CLUSTER_AUTOSCALER_RELEASES['1.35'],
    'sha256:aac369dc283927a623deb1af54696efcc722ae79255aa07788422e495bab887d',
    'image index (manifest list) digest, as resolved from registry.k8s.io and pinned in several public repositories that run Cluster Autoscaler 1.35.2 (search corpus: code)',
  ),
} as const satisfies Record<string, PinnedImage>;

/** The Cluster Autoscaler image of each Kubernetes minor it supports (its minor must match the cluster's). */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<AutoscaledKubernetesVersion, PinnedImage>> = {
  '1.33': IMAGES.clusterAutoscaler133,
  '1.34': IMAGES.clusterAutoscaler134,
  '1.35': IMAGES.clusterAutoscaler135,
};

export type ImageKey = keyof typeof IMAGES;

/** `registry/repository:tag` as published. */
export function sourceReference(pinned: PinnedImage): string {
  return `${pinned.registry}/${pinned.repository}:${pinned.tag}`;
}

/** Where the image is pulled from: the mirror when set, else its registry. */
export function imageRegistry(pinned: PinnedImage, mirror: string | undefined): string {
  return mirror ?? pinned.registry;
}

/** The tag as charts take it: `tag@digest` when pinned (charts join `repository:tag`). */
export function pinnedTag(pinned: PinnedImage): string {
  return pinned.digest === undefined ? pinned.tag : `${pinned.tag}@${pinned.digest}`;
}

/** The full reference the cluster pulls: `<registry or mirror>/<repository>:<tag>[@digest]`. */
export function imageReference(pinned: PinnedImage, mirror: string | undefined): string {
  const tag = pinned.tag === '' ? '' : `:${pinned.tag}`;
  const digest = pinned.digest === undefined ? '' : `@${pinned.digest}`;
  return `${imageRegistry(pinned, mirror)}/${pinned.repository}${tag}${digest}`;
}

/** Parse `registry/repository[:tag]@sha256:…` (the collector image comes from config). */
export function parseImageReference(reference: string): PinnedImage {
  const [name = reference, digest] = reference.split('@');
  const firstSlash = name.indexOf('/');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const hasRegistry = firstSlash !== -1 && /[.:]|^localhost$/.test(name.slice(0, firstSlash));
  const path = colon === -1 ? name : name.slice(0, colon);
  return {
    registry: hasRegistry ? path.slice(0, firstSlash) : 'docker.io',
    repository: hasRegistry ? path.slice(firstSlash + 1) : path,
    tag: colon === -1 ? '' : name.slice(colon + 1),
    ...(digest === undefined ? {} : { digest }),
    digestSource: 'platform.yaml',
  };
}

/** Chart values in the common `{registry, repository, tag}` shape, the digest riding on the tag. */
export function registryRepositoryTag(pinned: PinnedImage, mirror: string | undefined): { registry: string; repository: string; tag: string } {
  return { registry: imageRegistry(pinned, mirror), repository: pinned.repository, tag: pinnedTag(pinned) };
}

/** Chart values in the `{repository, tag, digest}` shape (cert-manager), the registry in the repository. */
export function repositoryTagDigest(pinned: PinnedImage, mirror: string | undefined): { repository: string; tag: string; digest?: string } {
  return { repository: `${imageRegistry(pinned, mirror)}/${pinned.repository}`, tag: pinned.tag, ...(pinned.digest === undefined ? {} : { digest: pinned.digest }) };
}
