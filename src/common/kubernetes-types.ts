/**
 * Field types of built-in Kubernetes kinds, checked the way the API server's JSON decoder checks
 * them: a value of the wrong JSON type for a known field (`privileged: "true"`, `runAsUser: "0"`,
 * `hostPID: 1`) makes the API server refuse the whole object, so the offline gate must report it
 * as invalid, never judge a different object than the cluster would. Unknown fields and kinds are
 * not judged here (the API server drops or prunes them).
 *
 * The types come from @kubernetes/client-node's generated models (OpenAPI of Kubernetes 1.33),
 * loaded per model on first use so an audit only pays for the kinds it meets.
 *
 * API: `apiServerObject(object)` turns explicit nulls into what the API server's round trip
 * through its Go types makes of them, in place, and returns one message per wrong-typed value
 * (each naming the field path), `[]` when the API server would decode the object:
 * - a null for a list, map, scalar or pointer field is absent (Go's `omitempty`), except the few
 *   fields declared without it (`rules` of Role and ClusterRole), which stay null;
 * - a null for an embedded struct (`metadata`, a pod `template`, its `spec`) is the empty struct;
 * - in kinds without a known schema (custom resources) every null in a map is absent, as the API
 *   server prunes nulls of fields not marked nullable.
 */
import { createRequire } from 'node:module';
import { memoize } from './lazy.js';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

const require = createRequire(import.meta.url);
const MODELS = '@kubernetes/client-node/dist/gen/models/';

/** The attributes of a generated model (`V1SecurityContext`), or null when there is none; each read once. */
const model = memoize((name: string): ReadonlyMap<string, Attribute> | null => {
  try {
    const module = require(`${MODELS}${name}.js`) as Record<string, { attributeTypeMap?: Attribute[] }>;
    const attributes = module[name]?.attributeTypeMap;
    return attributes ? new Map(attributes.map((a) => [a.baseName, a])) : null;
  } catch {
    return null;
  }
});

/** API groups of the built-in kinds; the model name is the version and kind (`apps/v1` Deployment → V1Deployment). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
]);
/** Kinds whose model name carries the group because two groups define them. */
const QUALIFIED: Readonly<Record<string, string>> = { '/v1/Event': 'CoreV1Event', 'events.k8s.io/v1/Event': 'EventsV1Event' };

/** Fields of type resource.Quantity, which the generated models type as strings but JSON numbers also decode into. */
const QUANTITY_FIELDS = new Set(['limits', 'requests', 'overhead', 'sizeLimit', 'divisor', 'capacity', 'allocatable', 'hard', 'used', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio', 'allocatedResources']);

function modelNameOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const qualified = QUALIFIED[`${group}/${version}/${kind}`];
  if (qualified) return qualified;
  if (!BUILT_IN_GROUPS.has(group) || !/^v\d+((alpha|beta)\d+)?$/.test(version)) return undefined;
  return `V${version.slice(1)}${kind}`;
}

const describe = (value: unknown) =>
  typeof value === 'string' ? `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a map' : `${typeof value === 'bigint' ? 'integer' : typeof value} ${String(value)}`;

const INT32 = 2n ** 31n;
const INT64 = 2n ** 63n;

/** Fields serialized without `omitempty`: a null stays null after the API server's round trip. */
const KEPT_NULLS: Readonly<Record<string, ReadonlySet<string>>> = { V1ClusterRole: new Set(['rules']), V1Role: new Set(['rules']) };
/** Fields of struct (not pointer) type: a null decodes into the zero struct, serialized as `{}`. */
const STRUCT_VALUE_FIELDS = new Set(['metadata', 'template', 'spec', 'jobTemplate', 'resources', 'selector']);

/** Custom resources: the API server prunes nulls of fields that are not nullable (all, without a schema). */
function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const map = value as Record<string, unknown>;
  for (const key in map) {
    if (map[key] === null) delete map[key];
    else dropNulls(map[key]);
  }
}

class Checker {
  readonly problems: string[] = [];

  private wrong(path: string, expected: string, value: unknown): void {
    this.problems.push(`${path}: expected ${expected}, got ${describe(value)}`);
  }

  check(value: unknown, type: string, format: string, path: string, quantity: boolean): void {
    // JSON null decodes into any Go field (as its zero value); the decoder drops nulls in maps.
    if (value === null || value === undefined) return;
    switch (type) {
      case 'string':
        if (typeof value === 'string' || (quantity && (typeof value === 'bigint' || typeof value === 'number'))) return;
        return this.wrong(path, quantity ? 'a quantity' : 'a string', value);
      case 'Date':
        if (typeof value !== 'string') this.wrong(path, 'a timestamp string', value);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.wrong(path, 'a boolean', value);
        return;
      case 'number':
        if (format === 'double') {
          if (typeof value !== 'bigint' && typeof value !== 'number') this.wrong(path, 'a number', value);
          return;
        }
        if (typeof value !== 'bigint') return this.wrong(path, `an integer (${format || 'int'})`, value);
        if (format === 'int32' ? value < -INT32 || value >= INT32 : value < -INT64 || value >= INT64) this.wrong(path, `an integer within ${format}`, value);
        return;
      case 'IntOrString':
        if (typeof value !== 'bigint' && typeof value !== 'string') this.wrong(path, 'an integer or a string', value);
        return;
      case 'any':
      case 'object':
        return;
    }
    const list = /^Array<(.+)>$/.exec(type);
    if (list) {
      if (!Array.isArray(value)) return this.wrong(path, 'a list', value);
      value.forEach((item, i) => this.check(item, list[1]!, format, `${path}[${i}]`, quantity));
      return;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      if (typeof value !== 'object' || Array.isArray(value)) return this.wrong(path, 'a map', value);
      const entries = value as Record<string, unknown>;
      for (const key in entries) {
        if (entries[key] === null) delete entries[key];
        else this.check(entries[key], map[1]!, format, `${path}.${key}`, quantity);
      }
      return;
    }
    const attributes = model(type);
    if (!attributes) return;
    if (typeof value !== 'object' || Array.isArray(value)) return this.wrong(path, 'a map', value);
    this.object(value as Record<string, unknown>, attributes, path, type);
  }

  object(value: Record<string, unknown>, attributes: ReadonlyMap<string, Attribute>, path: string, modelName?: string): void {
    for (const key in value) {
      const attribute = attributes.get(key);
      if (value[key] === null) {
        if (modelName && KEPT_NULLS[modelName]?.has(key)) continue;
        if (attribute && STRUCT_VALUE_FIELDS.has(key) && model(attribute.type)) value[key] = {};
        else delete value[key];
        continue;
      }
      if (attribute) this.check(value[key], attribute.type, attribute.format, path ? `${path}.${key}` : key, QUANTITY_FIELDS.has(key));
      else dropNulls(value[key]);
    }
  }
}

/** Treat the object's nulls as the API server would (in place); messages for every wrong-typed known field. */
export function apiServerObject(object: Record<string, unknown>): string[] {
  const { apiVersion, kind } = object;
  const name = typeof apiVersion === 'string' && typeof kind === 'string' ? modelNameOf(apiVersion, kind) : undefined;
  const attributes = name ? model(name) : null;
  if (!attributes || !attributes.has('apiVersion')) {
    dropNulls(object);
    return [];
  }
  const checker = new Checker();
  checker.object(object, attributes, '', name);
  return checker.problems;
}
