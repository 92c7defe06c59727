/**
 * ADR rules on the rendered cluster layer (ADR15-GITOPS-1..5). Each rule is a small function over
 * the tree's objects; the cross-layer rule also reads the AWS layer's in-memory templates. A value
 * a rule cannot resolve fails it: nothing passes silently. (brupop's node label on every node
 * group is ADR15-UPD-1, judged on the templates.)
 */
import { ADR_RULES, type AdrRule } from '../adr-catalogue.js';
import type { GateFinding, GateResult } from '../finding.js';
import { adrFinding } from '../rule.js';
import { constructPathOf, resourcesOfType, type StackTemplate } from './aws/template.js';
import { parseYamlStream, type YamlSource } from '../../common/yaml-source.js';
import { compilePolicySet, type KubeObject, type SourceObject } from '../../policy-engine/index.js';
import type { ClusterComponent, KubernetesObject, RenderContext } from '../../cluster/component.js';
import { POLICY_API_GROUP } from '../../policies/index.js';
import { validateObjectSchema, type ObjectValidator } from './object-schema.js';
import { serializeClusterFile } from '../../cluster/render.js';
import { treeObjects, type ClusterFile, type ClusterTree } from '../../cluster/tree.js';
import { imageReference, sourceReference } from '../../cluster/images.js';

export interface ClusterGateInput {
  readonly context: RenderContext;
  readonly tree: ClusterTree;
  /** Templates of the AWS layer; none found fails the cross-layer rules. */
  readonly templates: readonly StackTemplate[];
  /** Validators from CRDs (tests pass Kyverno's); kinds without one are judged by `validateObjectSchema`. */
  readonly crdValidators?: ReadonlyMap<string, ObjectValidator>;
  /** Compile verdicts shared by the environments of one run. @default - none shared */
  readonly compileMemo?: PolicyCompileMemo;
}

function finding(rule: AdrRule, resource: string, result: GateResult, reason?: string): GateFinding {
  return adrFinding(rule, resource, reason === undefined ? { result } : { result, reason });
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
 * Verdicts of earlier compiles (resource, and the error when it failed), keyed by the policy and
 * exception objects they came from: environments of one run that ship identical objects compile
 * once. CEL compilation is the costly part of this gate. The caller owns it (one per synth run);
 * nothing is kept between runs.
 */
export type PolicyCompileMemo = Map<string, ReadonlyArray<{ readonly resource: string; readonly error?: string }>>;

/**
 * A tree object as the policy engine's input. The object is compiled as rendered, never re-read;
 * its position in the written file is worked out only when an error message needs it.
 */
function asSourceObject(file: ClusterFile, index: number, object: KubernetesObject): SourceObject {
  let located: YamlSource | undefined;
  const source = () => (located ??= parseYamlStream(file.path, serializeClusterFile(file))[index]!);
  return {
    object: object as unknown as KubeObject,
    file: file.path,
    path: [],
    invalid: [],
    get line() {
      const range = source().document.contents?.range;
      return range ? source().lineCounter.linePos(range[0]).line : 1;
    },
    get source() {
      return source();
    },
  };
}

/** Each Kyverno policy of the tree compiled (CEL) with the tree's exceptions, by the project's policy engine. */
export function policyCompileFindings(tree: ClusterTree, compiledVerdicts: PolicyCompileMemo = new Map()): GateFinding[] {
  const ofGroup = tree.files.flatMap((file) => ('objects' in file ? file.objects.flatMap((object, index) => (inPolicyGroup(object) ? [asSourceObject(file, index, object)] : [])) : []));
  const key = JSON.stringify(ofGroup.map(({ object }) => object));
  let verdicts = compiledVerdicts.get(key);
  if (verdicts === undefined) {
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

/** Resources of `type` in every template, named by construct path, with their properties. */
function resourcesIn(templates: readonly StackTemplate[], type: string): Array<{ readonly name: string; readonly properties: Record<string, unknown> }> {
  return templates.flatMap((stack) => resourcesOfType(stack.template, type).map(({ logicalId, properties }) => ({ name: constructPathOf(stack, logicalId), properties })));
}

/**
 * Pod Identity: every service account of the cluster layer that needs AWS is bound, and every
 * association into a cluster-layer namespace names a service account the cluster layer runs.
 */
export function podIdentityFindings(components: readonly ClusterComponent[], templates: readonly StackTemplate[]): GateFinding[] {
  const rule = ADR_RULES.gitopsLayersAgree;
  const associations = resourcesIn(templates, 'AWS::EKS::PodIdentityAssociation');
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
export function bucketFindings(context: RenderContext, templates: readonly StackTemplate[]): GateFinding[] {
  const expected = context.env.evidenceBucketName;
  const names = resourcesIn(templates, 'AWS::S3::Bucket').map(({ properties }) => properties.BucketName);
  const found = names.includes(expected);
  return [
    finding(ADR_RULES.gitopsLayersAgree, `bucket/${expected}`, found ? 'pass' : 'fail', found ? undefined : `no AWS::S3::Bucket named ${expected} (found ${JSON.stringify(names)})`),
  ];
}

/** Every ADR rule on one environment's cluster layer (ADR15-GITOPS-1..5). */
export async function clusterGates({ context, tree, templates, crdValidators, compileMemo }: ClusterGateInput): Promise<GateFinding[]> {
  return [...(await treeGates(tree, crdValidators, compileMemo)), ...crossLayerFindings(context, tree, templates)];
}

/** The rules that judge the tree alone (ADR15-GITOPS-1..4). */
export async function treeGates(tree: ClusterTree, crdValidators?: ReadonlyMap<string, ObjectValidator>, compileMemo?: PolicyCompileMemo): Promise<GateFinding[]> {
  const objects = treeObjects(tree);
  return [...chartPinFindings(objects), ...imageDigestFindings(objects, tree.components, tree.mirror), ...(await schemaFindings(objects, crdValidators)), ...policyCompileFindings(tree, compileMemo)];
}

/** ADR15-GITOPS-5: the cluster layer and the AWS layer's templates agree. */
export function crossLayerFindings(context: RenderContext, tree: ClusterTree, templates: readonly StackTemplate[]): GateFinding[] {
  if (templates.length === 0) {
    return [finding(ADR_RULES.gitopsLayersAgree, 'aws-layer', 'fail', 'no synthesized template of the AWS layer was found, so the layers cannot be compared')];
  }
  return [...podIdentityFindings(tree.components, templates), ...bucketFindings(context, templates)];
}
