import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { renderClusterLayer, serializeClusterTree } from '../../src/cluster/render.js';
import { treeObjects } from '../../src/cluster/tree.js';
import { decodeYamlStream } from '../../src/common/kubernetes-yaml.js';
import { toYaml, toYamlStream } from '../../src/common/yaml-writer.js';
import { EXAMPLE, environment, loadExample } from '../cluster/fixture.js';

interface CorpusCase {
  readonly name: string;
  readonly yaml: string;
  readonly json?: string;
}
const corpus = JSON.parse(readFileSync(new URL('./fixtures/yaml-corpus.json', import.meta.url), 'utf8')) as { cases: CorpusCase[] };

/**
 * Every plain scalar of the corpus (recorded from sigs.k8s.io/yaml) that go-yaml v2 does not read
 * as the string written: the spellings a writer must quote.
 */
const CORPUS_AMBIGUOUS = corpus.cases
  .map((c) => ({ plain: /^v: ([^'"!&*[{|>#\n][^\n]*)\n$/.exec(c.yaml)?.[1], json: c.json }))
  .filter((c): c is { plain: string; json: string | undefined } => c.plain !== undefined)
  .filter((c) => c.json !== JSON.stringify({ v: c.plain }))
  .map((c) => c.plain);

/** YAML 1.1's and go-yaml v2's non-string spellings, beyond the corpus: every case, sign, prefix and underscore form. */
const SPELLINGS = [
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL', '<<'],
  ...['0', '-0', '+1', '1_000', '+1_000', '-_1', '+_1', '1_', '0_', '1__0', '0777', '0o777', '0O17', '-0o7', '0x1F', '0X1F', '0x_1F', '+0x10', '-0x10', '0b101', '0B101', '-0b101', '+0b1', '08', '9223372036854775808', '18446744073709551616'],
  ...['1.5', '1.', '.5', '-.5', '+.5', '1e5', '1E5', '12e03', '.5e3', '6.8523015e+5', '1_2.3_4', '0.1_0', '09.5', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN'],
  // YAML 1.1 readers (PyYAML) resolve these; go-yaml v2 keeps them strings, so quoting is harmless.
  ...['1:20', '190:20:30', '-1:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5'],
];

const AMBIGUOUS = [...new Set([...CORPUS_AMBIGUOUS, ...SPELLINGS])];

function decodeOne(text: string): unknown {
  const documents = decodeYamlStream('written.yaml', text);
  expect(documents).toHaveLength(1);
  return documents[0]!.value;
}

describe('the YAML writer, read back by the go-yaml v2 decoder (as kubectl, Helm, Flux and Kyverno read)', () => {
  test('the corpus contributes the spellings sigs.k8s.io/yaml resolved to a non-string', () => {
    expect(CORPUS_AMBIGUOUS).toEqual(expect.arrayContaining(['yes', 'on', 'y', '0777', '0o777', '1_000', '0x1F', '0b101', '1.5', '.inf', '~', 'null']));
    expect(CORPUS_AMBIGUOUS).not.toContain('1:30');
  });

  test.each(AMBIGUOUS.map((s) => [JSON.stringify(s), s] as const))('%s as a value and as a key comes back as that string', (_name, s) => {
    const text = toYaml({ value: s, list: [s], [s]: 'key', nested: { [s]: s } });
    expect(decodeOne(text)).toEqual({ value: s, list: [s], [s]: 'key', nested: { [s]: s } });
    // The yaml package's own 1.2 and 1.1 readers agree.
    expect(parse(text)).toEqual({ value: s, list: [s], [s]: 'key', nested: { [s]: s } });
    expect(parse(text, { version: '1.1' })).toEqual({ value: s, list: [s], [s]: 'key', nested: { [s]: s } });
  });

  test('strings that read as strings stay plain, and non-strings keep their type', () => {
    expect(toYaml({ a: 'main', b: 'yEs', c: '1.2.3', d: 'nginx:1.25', e: 1, f: true, g: null, h: 1.5 })).toBe('a: main\nb: yEs\nc: 1.2.3\nd: nginx:1.25\ne: 1\nf: true\ng: null\nh: 1.5\n');
    expect(decodeOne(toYaml({ e: 1, f: true, g: null }))).toEqual({ e: 1n, f: true, g: null });
  });

  test('a stream separates documents with ---, with a leading marker on request', () => {
    expect(toYamlStream([{ a: 'on' }, { b: 'off' }])).toBe('a: "on"\n---\nb: "off"\n');
    expect(toYamlStream([{ a: 'on' }], { leadingMarker: true })).toBe('---\na: "on"\n');
    expect(decodeYamlStream('s.yaml', toYamlStream([{ a: 'on' }, { b: 'off' }])).map((d) => d.value)).toEqual([{ a: 'on' }, { b: 'off' }]);
  });
});

/** JSON-like value as our decoder gives it (ints are BigInt), to compare with the rendered objects. */
function withBigInts(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(withBigInts);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBigInts(v)]));
  return value;
}

describe('GIVEN a config whose strings look like YAML 1.1 booleans and numbers', () => {
  const ARGOCD = EXAMPLE.replace('  controller: flux\n', '  controller: argocd\n  managedArgoCd: true\n  identityCenterInstanceArn: arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef\n').replace('    branch: main\n', '    branch: "on"\n');

  test.each([
    ['Flux', EXAMPLE],
    ['Argo CD, branch "on"', ARGOCD],
  ])('WHEN the %s tree is written THEN every file decodes, as the API server reads it, to exactly the objects rendered', (_name, text) => {
    const platform = loadExample(text);
    for (const env of platform.environments) {
      const tree = renderClusterLayer({ platform, env: environment(platform, env.name) });
      const decoded = serializeClusterTree(tree).flatMap((file) => decodeYamlStream(file.path, file.text).map((d) => d.value));
      const rendered = [...treeObjects(tree), ...tree.files.filter((file) => 'kustomize' in file).map((file) => (file as { kustomize: unknown }).kustomize)];
      expect(decoded).toHaveLength(rendered.length);
      expect(new Set(decoded.map((value) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))))).toEqual(
        new Set(rendered.map((value) => JSON.stringify(withBigInts(value), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)))),
      );
    }
  });

  test('THEN the Argo CD Applications target the branch "on", a string', () => {
    const platform = loadExample(ARGOCD);
    const tree = renderClusterLayer({ platform, env: environment(platform, 'prod') });
    const applications = serializeClusterTree(tree)
      .flatMap((file) => decodeYamlStream(file.path, file.text).map((d) => d.value as { kind?: string; spec?: { source?: { targetRevision?: unknown; path?: string } } }))
      .filter((object) => object.kind === 'Application' && object.spec?.source?.path !== undefined);
    expect(applications.length).toBeGreaterThan(0);
    expect(applications.map((application) => application.spec!.source!.targetRevision)).toEqual(applications.map(() => 'on'));
  });
});

describe('one YAML writer', () => {
  const SRC = new URL('../../src/', import.meta.url);
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((path) => path.endsWith('.ts'));

  test('no source file but the writer stringifies YAML itself', () => {
    const writers = files.filter((path) => {
      const text = readFileSync(new URL(path, SRC), 'utf8');
      return /import\s*\{[^}]*\bstringify\b[^}]*\}\s*from 'yaml'/.test(text) || /\.toString\(\{[^}]*(lineWidth|directives)/.test(text);
    });
    expect(writers).toEqual([join('common', 'yaml-writer.ts')]);
  });
});
