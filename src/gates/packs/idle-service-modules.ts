/**
 * cdk-nag's rules test every resource with `node instanceof aws_<service>.Cfn<Type>` for 55
 * aws-cdk-lib service modules. Reading such a class through the service's lazy export loads the
 * whole service module (aws-quicksight alone is 5 MB of JavaScript), and doing that for every
 * service our stacks never use was the largest cost of a synth (about 1.5 s of module loading).
 *
 * A class has instances only once the file defining it has run. So while no file of a service's
 * `lib/` folder is loaded, `x instanceof <any class of that service>` is false for every `x`.
 * `withIdleServiceModules(fn)` answers exactly that question without loading the service: during
 * `fn`, each lazy `Cfn*` export of an unloaded service reads as a stand-in whose `instanceof` is false;
 * any other use of the stand-in (a static, `new`, a call) loads the real export and forwards to
 * it, after which its `instanceof` is the real one. Afterwards the exports are as they were.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

const require = createRequire(import.meta.url);
/** The aws-cdk-lib cdk-nag loads (a peer dependency, so the one beside it). */
const cdkRoot = dirname(createRequire(require.resolve('cdk-nag')).resolve('aws-cdk-lib/package.json'));

interface Swap {
  readonly exports: Record<string | symbol, unknown>;
  readonly name: string;
  readonly original: PropertyDescriptor;
  readonly getter: () => unknown;
}

/** `aws-<service>/index.js` modules in the require cache whose service has no other file loaded yet. */
function idleServiceIndexes(): Array<Record<string | symbol, unknown>> {
  const loaded = new Set<string>();
  const indexes = new Map<string, Record<string | symbol, unknown>>();
  const prefix = `${cdkRoot}${sep}`;
  for (const [file, module] of Object.entries(require.cache)) {
    if (!file.startsWith(prefix)) continue;
    const [service, ...rest] = file.slice(prefix.length).split(sep);
    if (service === undefined || !service.startsWith('aws-')) continue;
    if (rest.length === 1 && rest[0] === 'index.js') {
      if (module?.loaded && typeof module.exports === 'object' && module.exports !== null) indexes.set(service, module.exports as Record<string | symbol, unknown>);
    } else {
      loaded.add(service);
    }
  }
  return [...indexes].filter(([service]) => !loaded.has(service)).map(([, exports]) => exports);
}

function standIn(load: () => unknown): unknown {
  let real: unknown;
  const resolve = (): object => (real ??= load()) as object;
  // A plain function target so `new` and calls are allowed; every trap but `instanceof` forwards.
  return new Proxy(function standInTarget() {}, {
    get: (_target, property) =>
      property === Symbol.hasInstance && real === undefined ? () => false : Reflect.get(resolve(), property),
    has: (_target, property) => Reflect.has(resolve(), property),
    construct: (_target, args) => Reflect.construct(resolve() as new (...args: unknown[]) => object, args),
    apply: (_target, thisArg, args) => Reflect.apply(resolve() as (...args: unknown[]) => unknown, thisArg, args),
  });
}

function swapLazyExports(exports: Record<string | symbol, unknown>): Swap[] {
  const swaps: Swap[] = [];
  for (const name of Object.getOwnPropertyNames(exports)) {
    // The rules test L1 classes; other exports keep loading as they always did.
    if (!name.startsWith('Cfn')) continue;
    const original = Object.getOwnPropertyDescriptor(exports, name);
    if (original?.get === undefined || !original.configurable) continue;
    const originalGet = original.get;
    // The original getter replaces itself with the loaded value, so after a load the export is real.
    const value = standIn(() => originalGet.call(exports));
    const getter = () => value;
    Object.defineProperty(exports, name, { ...original, get: getter });
    swaps.push({ exports, name, original, getter });
  }
  return swaps;
}

export function withIdleServiceModules<T>(fn: () => T): T {
  const swaps = idleServiceIndexes().flatMap(swapLazyExports);
  try {
    return fn();
  } finally {
    for (const { exports, name, original, getter } of swaps) {
      // Left alone when a load during `fn` already replaced the stand-in with the real export.
      if (Object.getOwnPropertyDescriptor(exports, name)?.get === getter) Object.defineProperty(exports, name, original);
    }
  }
}
