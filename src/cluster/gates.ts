/**
 * Gates on the rendered cluster layer (ADR15-GITOPS-1..5), in the common finding shape. Each rule
 * is a small function over the tree; the cross-layer rule also reads the AWS layer's templates.
 * A value a rule cannot resolve fails it: nothing passes silently.
 */
import { UPDATER_INTERFACE_LABEL } from '../common/names.js';
import { ADR_RULES, type AdrRule } from '../gates/adr-catalogue.js';
import type { GateFinding } from '../gates/finding.js';
import { compilePolicySet, parseObjects } from '../policy-engine/index.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from './component.js';
import { POLICY_API_GROUP } from './components/adr-policies.js';
import { validateObjectSchema, type ObjectValidator } from './object-schema.js';
import { serializeClusterFile } from './render.js';
import { treeObjects, type ClusterTree } from './tree.js';
import { CHARTS } from './versions.js';
import { imageReference, sourceReference } from './images.js';

/** A synthesized CloudFormation template of the AWS layer. */
export interface AwsTemplate {
  readonly file: string;
  readonly template: unknown;
}

export interface ClusterGateInput {
  readonly context: RenderContext;
  readonly tree: ClusterTree;
  /** Templates of the AWS layer; none found fails the cross-layer rules. */
  readonly templates: readonly AwsTemplate[];
  /** Validators from CRDs (tests pass Kyverno's); kinds without one are judged by `validateObjectSchema`. */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
}

function finding(rule: AdrRule, resource: string, result: GateFinding['result'], reason?: string): GateFinding {
  return { id: rule.id, source: 'ADR-15', resource, result, ...(reason === undefined ? {} : { reason }), adrSection: rule.adrSection, nistControls: [...rule.nistControls] };
}

export function objectRef(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

const get = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);

/** The chart version a Flux HelmRelease or an Argo CD Helm Application asks for; undefined for other objects. */
function chartRelease(object: KubernetesObject): { version: unknown } | undefined {
  if (object.kind === 'HelmRelease') return { version: get(object, 'spec', 'chart', 'spec', 'version') };
  if (object.kind === 'Application' && get(object, 'spec', 'source', 'chart') !== undefined) return { version: get(object, 'spec', 'source', 'targetRevision') };
  return undefined;
}

/** SemVer 2 with Helm's optional leading `v`: no ranges, wildcards or `latest`. */
const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function chartPinFindings(objects: readonly KubernetesObject[]): GateFinding[] {
  return objects.flatMap((object) => {
    const release = chartRelease(object);
    if (release === undefined) return [];
    const pinned = typeof release.version === 'string' && EXACT_VERSION.test(release.version);
    return [finding(ADR_RULES.gitopsChartPinned, objectRef(object), pinned ? 'pass' : 'fail', pinned ? undefined : `chart version ${JSON.stringify(release.version)} is not an exact version`)];
  });
}

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Why an image reference is not pinned by digest, or undefined when it is. */
export function imageProblem(reference: string): string | undefined {
  if (DIGEST.test(reference)) return undefined;
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon === -1) return `image ${reference} has no tag and no digest`;
  if (lastSegment.slice(colon + 1) === 'latest') return `image ${reference} uses the latest tag`;
  return `image ${reference} is not pinned by digest (a tag can be moved to other content)`;
}

/** `repository:tag` of a chart-style image map (`{registry?, repository, tag, digest?}`); undefined when it is not one. */
function chartImage(value: unknown): { reference: string; pinned: boolean } | undefined {
  const tag = get(value, 'tag');
  const repository = get(value, 'repository');
  if (typeof tag !== 'string' && typeof repository !== 'string') return undefined;
  const registry = get(value, 'registry');
  const digest = get(value, 'digest');
  const name = [registry, repository].filter((part) => typeof part === 'string' && part !== '').join('/');
  const reference = `${name}:${String(tag ?? '')}`;
  return { reference, pinned: (typeof tag === 'string' && DIGEST.test(tag)) || (typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) };
}

/**
 * Image references under a node: `image: repo:tag@digest` strings and chart-style `image: {...}`
 * maps. References in `excused` (images of the catalogue whose digest is not established) are
 * judged once, by their own finding, instead of in every object naming them.
 */
function imageProblems(node: unknown, path: string, excused: ReadonlySet<string>): string[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => imageProblems(item, `${path}[${index}]`, excused));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
    const here = `${path}.${key}`;
    if (key === 'image' && typeof value === 'string') {
      const problem = excused.has(value) ? undefined : imageProblem(value);
      return problem === undefined ? [] : [`${here}: ${problem}`];
    }
    const map = key === 'image' ? chartImage(value) : undefined;
    if (map !== undefined) {
      if (map.pinned || excused.has(map.reference)) return [];
      return [`${here}: image ${map.reference} is not pinned by digest`];
    }
    return imageProblems(value, here, excused);
  });
}

function mentionsImages(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsImages);
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node as Record<string, unknown>).some(([key, value]) => key === 'image' || mentionsImages(value));
}

/** The references an image without an established digest appears under in objects (by source and by mirror). */
function unpinnedReferences(components: readonly ClusterComponent[], mirror: string | undefined): Set<string> {
  return new Set(
    components
      .flatMap((component) => component.images ?? [])
      .filter((pinned) => pinned.digest === undefined)
      .flatMap((pinned) => [imageReference(pinned, mirror), imageReference(pinned, undefined)]),
  );
}

/**
 * ADR15-GITOPS-2: every image the cluster layer deploys is pinned by digest. Images the components
 * declare (what their charts deploy) are judged one by one; every `image` in manifests and chart
 * values must carry a digest too.
 */
export function imageDigestFindings(objects: readonly KubernetesObject[], components: readonly ClusterComponent[] = [], mirror?: string): GateFinding[] {
  const rule = ADR_RULES.gitopsImageTags;
  const declared = new Map(components.flatMap((component) => component.images ?? []).map((pinned) => [sourceReference(pinned), pinned]));
  const declaredFindings = [...declared.entries()].map(([source, pinned]) =>
    pinned.digest === undefined ? finding(rule, `image/${source}`, 'fail', `no digest recorded in src/cluster/images.ts: ${pinned.digestSource}`) : finding(rule, `image/${source}`, 'pass'),
  );
  const excused = unpinnedReferences(components, mirror);
  const objectFindings = objects.filter(mentionsImages).map((object) => {
    const problems = imageProblems(object, '', excused);
    return finding(rule, objectRef(object), problems.length === 0 ? 'pass' : 'fail', problems.length === 0 ? undefined : problems.join('; '));
  });
  const findings = [...declaredFindings, ...objectFindings];
  return findings.length > 0 ? findings : [finding(rule, 'cluster-layer', 'fail', 'no image is declared or set: the images the charts deploy are unknown')];
}

export async function schemaFindings(objects: readonly KubernetesObject[], crdValidators?: ReadonlyMap<string, ObjectValidator>): Promise<GateFinding[]> {
  const findings: GateFinding[] = [];
  for (const object of objects) {
    const verdict = await validateObjectSchema(object, crdValidators);
    findings.push(finding(ADR_RULES.gitopsSchema, objectRef(object), verdict.result, verdict.reason));
  }
  return findings;
}

const inPolicyGroup = (object: { apiVersion?: unknown }) => String(object.apiVersion).startsWith(`${POLICY_API_GROUP}/`);

/**
 * Verdicts of earlier compiles (resource, and the error when it failed), keyed by the exact files
 * they came from: environments whose policy files are identical (same paths, same text) compile
 * once per process. CEL compilation is the costly part of this gate.
 */
const compiledVerdicts = new Map<string, ReadonlyArray<{ readonly resource: string; readonly error?: string }>>();

/** Each Kyverno policy compiled (CEL) with the exceptions of the tree, by the project's policy engine. */
export function policyCompileFindings(tree: ClusterTree): GateFinding[] {
  // Only files holding policy-group objects can yield policies or exceptions; the others need no round trip.
  const files = tree.files
    .filter((file) => 'objects' in file && file.objects.some(inPolicyGroup))
    .map((file) => ({ path: file.path, text: serializeClusterFile(file) }));
  const key = JSON.stringify(files);
  let verdicts = compiledVerdicts.get(key);
  if (verdicts === undefined) {
    const sources = files.flatMap(({ path, text }) => parseObjects(path, text));
    const ofGroup = sources.filter(({ object }) => inPolicyGroup(object));
    const exceptions = ofGroup.filter(({ object }) => object.kind === 'PolicyException');
    verdicts = ofGroup
      .filter(({ object }) => object.kind !== 'PolicyException')
      .map((policy) => {
        const resource = objectRef(policy.object as unknown as KubernetesObject);
        try {
          compilePolicySet({ policies: [policy], exceptions });
          return { resource };
        } catch (error) {
          return { resource, error: (error as Error).message };
        }
      });
    compiledVerdicts.set(key, verdicts);
  }
  return verdicts.map(({ resource, error }) =>
    error === undefined ? finding(ADR_RULES.gitopsPolicyCompiles, resource, 'pass') : finding(ADR_RULES.gitopsPolicyCompiles, resource, 'fail', error),
  );
}

interface TemplateResource {
  /** The construct path (`aws:cdk:path`), as the AWS layer's findings and suppressions name it, else `Type/logicalId`. */
  readonly name: string;
  readonly properties: Record<string, unknown>;
}

function resourcesOfType(templates: readonly AwsTemplate[], type: string): TemplateResource[] {
  return templates.flatMap(({ template }) =>
    Object.entries((get(template, 'Resources') ?? {}) as Record<string, unknown>)
      .filter(([, resource]) => get(resource, 'Type') === type)
      .map(([logicalId, resource]) => {
        const path = get(resource, 'Metadata', 'aws:cdk:path');
        return { name: typeof path === 'string' ? path : `${type}/${logicalId}`, properties: (get(resource, 'Properties') ?? {}) as Record<string, unknown> };
      }),
  );
}

/**
 * Pod Identity: every service account of the cluster layer that needs AWS is bound, and every
 * association into a cluster-layer namespace names a service account the cluster layer runs.
 */
export function podIdentityFindings(components: readonly ClusterComponent[], templates: readonly AwsTemplate[]): GateFinding[] {
  const rule = ADR_RULES.gitopsLayersAgree;
  const associations = resourcesOfType(templates, 'AWS::EKS::PodIdentityAssociation');
  const identities = components.flatMap((component) => component.awsIdentities ?? []);
  const bound = (namespace: string, serviceAccount: string) =>
    associations.some(({ properties }) => properties.Namespace === namespace && properties.ServiceAccount === serviceAccount);
  const owned = new Set(components.flatMap((component) => (component.namespace === undefined ? [] : [component.namespace.name])));
  return [
    ...identities.map(({ namespace, serviceAccount }) =>
      bound(namespace, serviceAccount)
        ? finding(rule, `ServiceAccount/${namespace}/${serviceAccount}`, 'pass')
        : finding(rule, `ServiceAccount/${namespace}/${serviceAccount}`, 'fail', 'no AWS::EKS::PodIdentityAssociation binds this service account'),
    ),
    ...associations
      .filter(({ properties }) => typeof properties.Namespace !== 'string' || owned.has(properties.Namespace))
      .filter(({ properties }) => !identities.some((identity) => identity.namespace === properties.Namespace && identity.serviceAccount === properties.ServiceAccount))
      .map(({ name, properties }) =>
        finding(rule, name, 'fail', `binds ${JSON.stringify(properties.Namespace)}/${JSON.stringify(properties.ServiceAccount)}, which the cluster layer does not run`),
      ),
  ];
}

/** The bucket the cluster layer writes evidence to exists in the AWS layer under the same literal name. */
export function bucketFindings(context: RenderContext, templates: readonly AwsTemplate[]): GateFinding[] {
  const expected = context.env.evidenceBucketName;
  const names = resourcesOfType(templates, 'AWS::S3::Bucket').map(({ properties }) => properties.BucketName);
  const found = names.includes(expected);
  return [
    finding(ADR_RULES.gitopsLayersAgree, `bucket/${expected}`, found ? 'pass' : 'fail', found ? undefined : `no AWS::S3::Bucket named ${expected} (found ${JSON.stringify(names)})`),
  ];
}

/** The cluster layer installs brupop, which only updates nodes carrying its label, so every node group must. */
export function nodeLabelFindings(templates: readonly AwsTemplate[]): GateFinding[] {
  const rule = ADR_RULES.gitopsLayersAgree;
  const nodegroups = resourcesOfType(templates, 'AWS::EKS::Nodegroup');
  if (nodegroups.length === 0) return [finding(rule, 'aws-layer', 'fail', 'the AWS layer has no managed node group for brupop to update')];
  return nodegroups.map(({ name, properties }) => {
    const value = get(properties, 'Labels', UPDATER_INTERFACE_LABEL.key);
    return value === UPDATER_INTERFACE_LABEL.value
      ? finding(rule, name, 'pass')
      : finding(rule, name, 'fail', `label ${UPDATER_INTERFACE_LABEL.key} is ${JSON.stringify(value)}; brupop, installed by the cluster layer, needs ${UPDATER_INTERFACE_LABEL.value}`);
  });
}

export async function clusterGates({ context, tree, templates, crdValidators }: ClusterGateInput): Promise<GateFinding[]> {
  return [...(await treeGates(tree, crdValidators)), ...crossLayerFindings(context, tree, templates)];
}

/** The rules that judge the tree alone (ADR15-GITOPS-1..4), so they can run before the AWS layer's templates exist. */
export async function treeGates(tree: ClusterTree, crdValidators?: ReadonlyMap<string, ObjectValidator>): Promise<GateFinding[]> {
  const objects = treeObjects(tree);
  return [...chartPinFindings(objects), ...imageDigestFindings(objects, tree.components, tree.mirror), ...(await schemaFindings(objects, crdValidators)), ...policyCompileFindings(tree)];
}

/** ADR15-GITOPS-5: the cluster layer and the AWS layer's templates agree. */
export function crossLayerFindings(context: RenderContext, tree: ClusterTree, templates: readonly AwsTemplate[]): GateFinding[] {
  const brupopInstalled = tree.components.some((component) => component.charts.some((chart) => chart.chart === CHARTS.brupopOperator.chart));
  if (templates.length === 0) {
    return [finding(ADR_RULES.gitopsLayersAgree, 'aws-layer', 'fail', 'no synthesized template of the AWS layer was found, so the layers cannot be compared')];
  }
  return [
    ...podIdentityFindings(tree.components, templates),
    ...bucketFindings(context, templates),
    ...(brupopInstalled ? nodeLabelFindings(templates) : []),
  ];
}
