/**
 * Values that are fixed for the life of the process but costly to build (a CEL environment, a
 * compiled validator, a model table read from a package): built on first use, then the same
 * value every time. The cache lives inside the function these return, not as loose mutable
 * state of the module that uses it.
 */

/** `create()` on the first call, that same value on every later one. */
export function once<T>(create: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = create();
      made = true;
    }
    return value;
  };
}

/** `compute(key)` on the first call with `key`, that same value on later ones; for keys bounded by what the process loads (fixed tables, the policies it read). A call that throws is not remembered. */
export function memoize<K, V>(compute: (key: K) => V): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    if (values.has(key)) return values.get(key)!;
    const value = compute(key);
    values.set(key, value);
    return value;
  };
}
