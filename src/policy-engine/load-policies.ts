/**
 * Turning parsed objects into checked ValidatingPolicies and PolicyExceptions. Shape errors name
 * file, line and field (an unknown field is an error, as the CRD's structural schema makes it).
 */
import type { z } from 'zod';
import { UserInputError, UserInputErrors } from '../common/errors.js';
import { formatFieldPath, keyPositionIn, positionOf } from '../common/yaml-source.js';
import type { SourceObject } from './documents.js';
import {
  EXCEPTION_KIND,
  POLICY_KINDS,
  policyExceptionSchema,
  validatingPolicySchema,
  type PolicyException,
  type ValidatingPolicy,
} from './schema.js';

export interface Loaded<T> {
  readonly value: T;
  readonly origin: SourceObject;
}

/** Validate `origin.object` against `schema`; every issue becomes a positioned UserInputError. */
export function checkShape<S extends z.ZodType>(schema: S, origin: SourceObject, what: string): z.infer<S> {
  const parsed = schema.safeParse(origin.object);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.flatMap((issue) => {
    const path = [...origin.path, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const node = origin.source.document.getIn(path, true);
        const position = keyPositionIn(origin.source, node, key) ?? positionOf(origin.source, path);
        return new UserInputError(`unknown field in ${what}`, { position, field: formatFieldPath([...issue.path, key] as PropertyKey[]) });
      });
    }
    return [
      new UserInputError(`${issue.message} in ${what}`, {
        position: positionOf(origin.source, path),
        field: formatFieldPath(issue.path as PropertyKey[]),
      }),
    ];
  });
  throw errors.length === 1 ? errors[0]! : new UserInputErrors(errors);
}

const describe = (origin: SourceObject) => {
  const metadata = origin.object.metadata as { name?: unknown } | undefined;
  return `${String(origin.object.kind)} ${typeof metadata?.name === 'string' ? metadata.name : '(unnamed)'}`;
};

export function loadPolicies(objects: readonly SourceObject[]): Loaded<ValidatingPolicy>[] {
  return objects.map((origin) => {
    if (!POLICY_KINDS.includes(origin.object.kind as (typeof POLICY_KINDS)[number])) {
      throw new UserInputError(
        `expected a ValidatingPolicy or NamespacedValidatingPolicy (policies.kyverno.io), got kind ${JSON.stringify(origin.object.kind ?? null)}`,
        { position: positionOf(origin.source, [...origin.path, 'kind']) },
      );
    }
    return { value: checkShape(validatingPolicySchema, origin, describe(origin)), origin };
  });
}

export function loadExceptions(objects: readonly SourceObject[]): Loaded<PolicyException>[] {
  return objects.map((origin) => {
    if (origin.object.kind !== EXCEPTION_KIND) {
      throw new UserInputError(`expected a PolicyException (policies.kyverno.io), got kind ${JSON.stringify(origin.object.kind ?? null)}`, {
        position: positionOf(origin.source, [...origin.path, 'kind']),
      });
    }
    return { value: checkShape(policyExceptionSchema, origin, describe(origin)), origin };
  });
}
