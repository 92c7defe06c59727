/**
 * Which resources a template change replaces, judged by the CloudFormation resource schemas'
 * create-only properties as the aws-cdk CLI ships them (`db.json.gz`, the @aws-cdk/aws-service-spec
 * database `cdk diff` uses to print "requires replacement"), not by a list of our own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isDeepStrictEqual } from 'node:util';

interface SpecProperty {
  readonly causesReplacement?: 'yes' | 'maybe' | 'no';
  readonly type?: { readonly type: string; readonly reference?: { readonly $ref: string } };
}
interface SpecResource {
  readonly cloudFormationType: string;
  readonly primaryIdentifier?: readonly string[];
  readonly properties: Readonly<Record<string, SpecProperty>>;
}
interface SpecType {
  readonly $id: string;
  readonly properties: Readonly<Record<string, SpecProperty>>;
}

const require = createRequire(import.meta.url);
const db = JSON.parse(gunzipSync(readFileSync(join(dirname(require.resolve('aws-cdk/package.json')), 'db.json.gz'))).toString('utf8')) as {
  schema: { resource: { entities: SpecResource[] }; typeDefinition: { entities: SpecType[] } };
};
const resources = new Map(db.schema.resource.entities.map((resource) => [resource.cloudFormationType, resource]));
const types = new Map(db.schema.typeDefinition.entities.map((type) => [type.$id, type]));

export function resourceSpec(type: string): SpecResource {
  const spec = resources.get(type);
  if (!spec) throw new Error(`no resource schema for ${type}`);
  return spec;
}

/** Top-level properties whose change replaces the resource. */
export function createOnlyProperties(type: string): string[] {
  return Object.entries(resourceSpec(type).properties)
    .filter(([, property]) => property.causesReplacement === 'yes')
    .map(([name]) => name);
}

/** Paths (`ResourcesVpcConfig.SubnetIds`) of the create-only values that differ between two property sets. */
function replacingChanges(properties: Readonly<Record<string, SpecProperty>>, before: any, after: any, prefix = ''): string[] {
  const changes: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const a = before?.[name];
    const b = after?.[name];
    if (isDeepStrictEqual(a, b)) continue;
    if (property.causesReplacement === 'yes') changes.push(`${prefix}${name}`);
    else if (property.type?.type === 'ref' && property.type.reference) {
      const nested = types.get(property.type.reference.$ref);
      if (nested) changes.push(...replacingChanges(nested.properties, a, b, `${prefix}${name}.`));
    }
  }
  return changes;
}

/**
 * The properties that name a resource: its primary identifier when those are properties (a
 * bucket's BucketName, an access entry's PrincipalArn + ClusterName), else `<Type>Name` or `Name`.
 */
export function nameProperties(type: string): string[] {
  const spec = resourceSpec(type);
  const identifier = (spec.primaryIdentifier ?? []).filter((name) => name in spec.properties);
  if (identifier.length > 0) return identifier;
  const short = type.split('::')[2]!;
  return [`${short}Name`, 'Name'].filter((name) => name in spec.properties);
}

export interface Replacement {
  readonly logicalId: string;
  readonly type: string;
  readonly changes: readonly string[];
  /** The resource has a name of ours that stays the same: CloudFormation refuses this replacement. */
  readonly blocked: boolean;
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** `value` with every Ref/GetAtt to a replaced resource marked: a new resource has a new id and ARN. */
function markReplacedReferences(value: unknown, replaced: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => markReplacedReferences(item, replaced));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string' && replaced.has(record.Ref)) return { replacedResource: record.Ref };
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && replaced.has(getAtt[0])) return { replacedResource: getAtt };
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, markReplacedReferences(item, replaced)]));
}

/**
 * Every resource present in both templates that the change replaces, including those replaced
 * because a resource they reference is (a new VPC means new subnets, which replace the cluster).
 */
export function replacements(before: Template, after: Template): Replacement[] {
  let replaced = new Set<string>();
  for (;;) {
    const result: Replacement[] = [];
    for (const [logicalId, old] of Object.entries(before.Resources)) {
      const updated = after.Resources[logicalId];
      if (!updated || updated.Type !== old.Type || !resources.has(old.Type)) continue;
      const newProperties = markReplacedReferences(updated.Properties ?? {}, replaced) as Record<string, unknown>;
      const changes = replacingChanges(resourceSpec(old.Type).properties, old.Properties ?? {}, newProperties);
      if (changes.length === 0) continue;
      const names = nameProperties(old.Type).filter((name) => old.Properties?.[name] !== undefined);
      // Renamed as part of the change: the new resource does not collide with the old one.
      const blocked = names.length > 0 && names.every((name) => isDeepStrictEqual(old.Properties?.[name], newProperties[name]));
      result.push({ logicalId, type: old.Type, changes, blocked });
    }
    const next = new Set(result.map((replacement) => replacement.logicalId));
    if (next.size === replaced.size) return result;
    replaced = next;
  }
}
