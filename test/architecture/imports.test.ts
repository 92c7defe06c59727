/**
 * The import graph of src/ runs one way: common ← config ← renderers and domain folders ← gates ←
 * pipeline ← cli, with no cycle between files or between folders. Read from the sources' own
 * import statements (static, dynamic and re-exports, type-only ones included), so a new upward
 * import or a circle fails here with the files that make it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Layer of each top-level folder: a folder may import only its own layer's folders or lower ones. */
const LAYERS: Readonly<Record<string, number>> = {
  common: 0,
  config: 1,
  // Renderers and domain folders.
  infra: 2,
  cluster: 2,
  policies: 2,
  'policy-engine': 2,
  releases: 2,
  cis: 2,
  report: 2,
  deploy: 4,
  'gitops-audit': 2,
  gates: 3,
  pipeline: 4,
  cli: 5,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

/** Every relative import of every file, as `src/`-relative paths without extension. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).replace(/\.ts$/, '');
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => relative(SRC, resolve(dirname(file), match[1]!)).replace(/\.js$/, ''));
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '.');

/** The cycles of a graph, each as the path that closes it (depth-first search). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  test('every top-level folder has a layer', () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].filter((folder) => LAYERS[folder] === undefined)).toEqual([]);
    expect(graph.size).toBeGreaterThan(100);
  });

  test('no file imports from a higher layer', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets.filter((target) => LAYERS[folderOf(target)]! > LAYERS[folderOf(from)]!).map((target) => `${from} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  test('no cycle between files', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  test('no cycle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [from, targets] of graph) {
      const folder = folderOf(from);
      const others = targets.map(folderOf).filter((target) => target !== folder);
      folders.set(folder, [...new Set([...(folders.get(folder) ?? []), ...others])]);
    }
    expect(cycles(folders).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  test('GIVEN a known cycle and an upward import THEN the checks see them', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['a']]]))).toEqual([['a', 'b', 'a']]);
    expect(LAYERS[folderOf('config/load')]! < LAYERS[folderOf('gates/rule')]!).toBe(true);
  });
});
