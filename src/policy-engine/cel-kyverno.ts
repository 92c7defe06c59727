/**
 * Kyverno's own CEL libraries (github.com/kyverno/sdk extensions/cel/libs) as far as they mean
 * something offline: resource lookups and image metadata served from a Kyverno CLI test's
 * `context` file, image-reference parsing, service-account parsing, JSON and YAML parsing,
 * hashes and time. Calls that need a live cluster or network (`http`, `globalContext`, an
 * unlisted resource or image) are evaluation errors that say so, never a silent value.
 */
import { createHash } from 'node:crypto';
import type { Environment } from '@marcbachmann/cel-js';
import { decodeYamlDocument, splitYamlDocuments } from '../common/kubernetes-yaml.js';
import { guessResource } from './match.js';

type KubeObject = Record<string, unknown>;

/** What a Kyverno CLI `Context` file (cli.kyverno.io/v1alpha1) provides. */
export interface LookupContext {
  readonly resources: readonly KubeObject[];
  readonly images: readonly KubeObject[];
}

const EMPTY: LookupContext = { resources: [], images: [] };
let current: LookupContext = EMPTY;

/** Run `fn` with lookups served from `context` (evaluation is synchronous, so this cannot leak). */
export function withLookupContext<T>(context: LookupContext | undefined, fn: () => T): T {
  const previous = current;
  current = context ?? EMPTY;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

export class NeedsClusterError extends Error {}

function needsCluster(what: string): never {
  throw new NeedsClusterError(`${what} needs a cluster: not available to the offline engine (give the data in the test's context file, or run in the cluster)`);
}

const metadataOf = (o: KubeObject) => (o.metadata ?? {}) as { name?: string; namespace?: string };

function matchingResources(apiVersion: string, resource: string, namespace: string): KubeObject[] {
  return current.resources.filter(
    (o) => o.apiVersion === apiVersion && guessResource(String(o.kind)) === resource && (namespace === '' || (metadataOf(o).namespace ?? '') === namespace),
  );
}

function getResource(apiVersion: string, resource: string, namespace: string, name: string): KubeObject {
  const found = matchingResources(apiVersion, resource, namespace).find((o) => metadataOf(o).name === name);
  return found ?? needsCluster(`resource.Get(${apiVersion}, ${resource}, ${namespace}, ${name}): not in the context, and a lookup`);
}

function listResources(apiVersion: string, resource: string, namespace: string): KubeObject {
  return { apiVersion, kind: 'List', items: matchingResources(apiVersion, resource, namespace) };
}

// ---------------------------------------------------------------- image references

/** An image reference as go-containerregistry's name.ParseReference reads it (Kyverno's image library). */
export class ImageReference {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly tag: string,
    readonly digest: string,
  ) {}

  static parse(text: string): ImageReference | undefined {
    let rest = text;
    let digest = '';
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
      if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/.test(digest)) return undefined;
    }
    let tag = '';
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
    }
    const slash = rest.indexOf('/');
    const first = slash < 0 ? '' : rest.slice(0, slash);
    const isRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
    let registry = isRegistry ? first : 'index.docker.io';
    let repository = isRegistry ? rest.slice(slash + 1) : rest;
    if (registry === 'docker.io') registry = 'index.docker.io';
    if (registry === 'index.docker.io' && !repository.includes('/')) repository = `library/${repository}`;
    if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) return undefined;
    if (!tag && !digest) tag = 'latest';
    return new ImageReference(registry, repository, tag, digest);
  }
}

const requireImage = (text: string) => ImageReference.parse(text) ?? (() => { throw new Error(`invalid image reference: ${text}`); })();

function imageMetadata(reference: string): KubeObject {
  const image = current.images.find((i) => i.image === reference);
  if (!image) needsCluster(`image.GetMetadata(${reference}): not in the context, and a registry lookup`);
  const parsed = ImageReference.parse(reference);
  return {
    resolvedImage: image.resolvedImage ?? reference,
    registry: image.registry ?? parsed?.registry ?? '',
    repository: image.repository ?? parsed?.repository ?? '',
    tag: image.tag ?? parsed?.tag ?? '',
    digest: image.digest ?? parsed?.digest ?? '',
    imageIndex: image.imageIndex ?? null,
    manifest: image.manifest ?? null,
    config: image.config ?? null,
  };
}

// ---------------------------------------------------------------- the rest

/** Kyverno's user.ServiceAccount is a native CEL type: its fields carry the Go names. */
function parseServiceAccount(username: string): KubeObject {
  const parts = username.split(':');
  if (parts.length === 4 && parts[0] === 'system' && parts[1] === 'serviceaccount') return { Namespace: parts[2], Name: parts[3] };
  return { Namespace: '', Name: '' };
}

/** JSON as CEL sees it: integers as CEL ints. */
function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value));
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

function parseYaml(text: string): unknown {
  const [document] = splitYamlDocuments(text);
  return document ? (decodeYamlDocument('<yaml.parse>', document) ?? null) : null;
}

const hex = (algorithm: string) => (s: string) => createHash(algorithm).update(s).digest('hex');

class ResourceLibrary {}
class ImageDataLibrary {}
class HttpLibrary {}
class GlobalContextLibrary {}
class UserLibrary {}
class JsonLibrary {}
class YamlLibrary {}
class HashLibrary {}
class TimeLibrary {}

export function registerKyvernoLibraries(env: Environment): Environment {
  env
    .registerType('kyverno.Resource', ResourceLibrary)
    .registerConstant('resource', 'kyverno.Resource', new ResourceLibrary())
    .registerType('kyverno.ImageData', ImageDataLibrary)
    .registerConstant('image', 'kyverno.ImageData', new ImageDataLibrary())
    .registerType('kyverno.Http', HttpLibrary)
    .registerConstant('http', 'kyverno.Http', new HttpLibrary())
    .registerType('kyverno.GlobalContext', GlobalContextLibrary)
    .registerConstant('globalContext', 'kyverno.GlobalContext', new GlobalContextLibrary())
    .registerType('kyverno.User', UserLibrary)
    .registerConstant('user', 'kyverno.User', new UserLibrary())
    .registerType('kyverno.Json', JsonLibrary)
    .registerConstant('json', 'kyverno.Json', new JsonLibrary())
    .registerType('kyverno.Yaml', YamlLibrary)
    .registerConstant('yaml', 'kyverno.Yaml', new YamlLibrary())
    .registerType('kyverno.Hash', HashLibrary)
    .registerConstant('hash', 'kyverno.Hash', new HashLibrary())
    .registerType('kyverno.Time', TimeLibrary)
    .registerConstant('time', 'kyverno.Time', new TimeLibrary())
    .registerType('kyverno.ImageReference', ImageReference);
  for (const [get, list] of [
    ['Get', 'List'],
    ['get', 'list'],
  ] as const) {
    env
      .registerFunction(`kyverno.Resource.${get}(string, string, string, string): map<string, dyn>`, (_: unknown, v: string, r: string, ns: string, n: string) => getResource(v, r, ns, n))
      .registerFunction(`kyverno.Resource.${list}(string, string, string): map<string, dyn>`, (_: unknown, v: string, r: string, ns: string) => listResources(v, r, ns))
      .registerFunction(`kyverno.Resource.${list}(string, string, string, map): map<string, dyn>`, (_: unknown, v: string, r: string, ns: string) => listResources(v, r, ns))
      .registerFunction(`kyverno.Http.${get}(string): dyn`, () => needsCluster('http.Get'))
      .registerFunction(`kyverno.Http.${get}(string, map): dyn`, () => needsCluster('http.Get'))
      .registerFunction(`kyverno.GlobalContext.${get}(string, string): dyn`, (_: unknown, name: string) => needsCluster(`globalContext.Get(${name})`));
  }
  for (const name of ['Post', 'post']) {
    env
      .registerFunction(`kyverno.Resource.${name}(string, string, map): map<string, dyn>`, () => needsCluster('resource.Post'))
      .registerFunction(`kyverno.Http.${name}(string, dyn): dyn`, () => needsCluster('http.Post'))
      .registerFunction(`kyverno.Http.${name}(string, dyn, map): dyn`, () => needsCluster('http.Post'));
  }
  for (const name of ['GetMetadata', 'getMetadata']) env.registerFunction(`kyverno.ImageData.${name}(string): map<string, dyn>`, (_: unknown, ref: string) => imageMetadata(ref));
  return env
    .registerFunction('parseImageReference(string): kyverno.ImageReference', requireImage)
    .registerFunction('isImage(string): bool', (s: string) => ImageReference.parse(s) !== undefined)
    .registerFunction('kyverno.ImageReference.registry(): string', (i: ImageReference) => i.registry)
    .registerFunction('kyverno.ImageReference.repository(): string', (i: ImageReference) => i.repository)
    .registerFunction('kyverno.ImageReference.identifier(): string', (i: ImageReference) => i.digest || i.tag)
    .registerFunction('kyverno.ImageReference.tag(): string', (i: ImageReference) => i.tag)
    .registerFunction('kyverno.ImageReference.digest(): string', (i: ImageReference) => i.digest)
    .registerFunction('kyverno.ImageReference.containsDigest(): bool', (i: ImageReference) => i.digest !== '')
    .registerFunction('parseServiceAccount(string): map<string, string>', parseServiceAccount)
    .registerFunction('kyverno.User.parseServiceAccount(string): map<string, string>', (_: unknown, s: string) => parseServiceAccount(s))
    .registerFunction('kyverno.Json.unmarshal(string): dyn', (_: unknown, s: string) => fromJson(s))
    .registerFunction('kyverno.Json.marshal(dyn): string', (_: unknown, v: unknown) => toJson(v))
    .registerFunction('kyverno.Yaml.parse(string): dyn', (_: unknown, s: string) => parseYaml(s))
    .registerFunction('kyverno.Hash.md5(string): string', (_: unknown, s: string) => hex('md5')(s))
    .registerFunction('kyverno.Hash.sha1(string): string', (_: unknown, s: string) => hex('sha1')(s))
    .registerFunction('kyverno.Hash.sha256(string): string', (_: unknown, s: string) => hex('sha256')(s))
    .registerFunction('md5(string): string', hex('md5'))
    .registerFunction('sha1(string): string', hex('sha1'))
    .registerFunction('sha256(string): string', hex('sha256'))
    .registerFunction('kyverno.Time.now(): google.protobuf.Timestamp', () => new Date());
}
