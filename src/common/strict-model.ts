/**
 * Strict validation (unknown fields refused) with the schemas the kubernetes-models packages carry.
 *
 * Their validators are ajv code compiled from each API's OpenAPI schema, and they accept any field:
 * the generator leaves `additionalProperties` out. The compiled code does read every property its
 * schema declares on an object node (`data.<name> !== undefined`), and enumerates the keys of maps
 * and free-form nodes. So the validator runs over the object through a proxy that records what it
 * reads: on a node where it read declared properties and enumerated nothing, a field it never read
 * is one the schema does not know, which the API server's strict field validation refuses (Flux
 * applies with it). Nodes the schema leaves free-form (`values`, preserved-unknown fields) are
 * read by no one and stay open.
 */

/** A kubernetes-models instance: data plus the validator its class was generated with. */
export interface ValidatingModel {
  validate(): void;
  toJSON(): unknown;
}

interface Reads {
  readonly keys: Set<string>;
  enumerated: boolean;
}

/** Schema errors and unknown fields of a model's data; empty when the schema accepts it whole. */
export function strictModelErrors(model: ValidatingModel): string[] {
  const reads = new WeakMap<object, Reads>();
  const proxies = new WeakMap<object, object>();
  const tracked = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (proxy === undefined) {
      const record: Reads = { keys: new Set(), enumerated: false };
      reads.set(value, record);
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === 'string') record.keys.add(key);
          return tracked(Reflect.get(target, key, receiver));
        },
        has(target, key) {
          if (typeof key === 'string') record.keys.add(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          record.enumerated = true;
          return Reflect.ownKeys(target);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };

  const errors: string[] = [];
  try {
    model.validate.call(tracked(model));
  } catch (error) {
    errors.push((error as Error).message);
  }
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}/${index}`));
      return;
    }
    const record = reads.get(value);
    const closed = record !== undefined && record.keys.size > 0 && !record.enumerated;
    for (const [key, child] of Object.entries(value)) {
      if (closed && !record.keys.has(key)) errors.push(`data${path} has unknown field "${key}"`);
      else walk(child, `${path}/${key}`);
    }
  };
  walk(model, '');
  return errors;
}

/** The model's data once its schema accepts it whole; throws with every error otherwise. */
export function strictlyValidated(model: ValidatingModel): unknown {
  const errors = strictModelErrors(model);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return model.toJSON();
}
