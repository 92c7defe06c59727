import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UserInputError } from '../../src/common/errors.js';
import { decodeYamlStream, splitYamlDocuments, YamlDocumentSplitter } from '../../src/common/kubernetes-yaml.js';

/** The corpus: each case's YAML and what sigs.k8s.io/yaml + the API server's JSON reader gave (see producedBy). */
interface CorpusCase {
  readonly name: string;
  readonly yaml: string;
  readonly value?: unknown;
  readonly error?: string;
}
const corpus = JSON.parse(readFileSync(new URL('./fixtures/yaml-corpus.json', import.meta.url), 'utf8')) as { producedBy: string; cases: CorpusCase[] };

/**
 * Where we knowingly differ, and why it cannot let a bypass through: go-yaml refuses a null or
 * complex map key; js-yaml turns them into the string keys "null" and "a,b". No Kubernetes field
 * is named either, so no policy reads them.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  'null key': 'go-yaml refuses a null key; we read it as the key "null"',
  'complex key': 'go-yaml refuses a sequence key; we read it as the key "a,b"',
};

/** The tagged oracle value as our decoder should give it: BigInt ints, doubles, nulls kept. */
function expected(tagged: unknown): unknown {
  if (tagged === null || typeof tagged !== 'object') return tagged;
  const t = tagged as { int?: string; double?: number; list?: unknown[]; map?: { k: string; v: unknown }[] };
  if (t.int !== undefined) return BigInt(t.int);
  if (t.double !== undefined) return t.double;
  if (t.list) return t.list.map(expected);
  const out: Record<string, unknown> = {};
  for (const { k, v } of t.map ?? []) out[k] = expected(v);
  return out;
}

function decodeOne(yaml: string): unknown {
  const docs = decodeYamlStream('corpus.yaml', yaml);
  return docs.length === 0 ? null : docs[0]!.value;
}

describe(`YAML decoding agrees with ${corpus.producedBy.split(',')[0]}`, () => {
  test('the corpus is substantial', () => {
    expect(corpus.cases.length).toBeGreaterThan(150);
  });

  test.each(corpus.cases.filter((c) => !(c.name in KNOWN_DIFFERENCES)).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.error !== undefined) {
      expect(() => decodeOne(c.yaml)).toThrow(UserInputError);
    } else {
      expect(decodeOne(c.yaml)).toEqual(expected(c.value));
    }
  });

  test.each(Object.entries(KNOWN_DIFFERENCES))('known difference: %s (%s)', (name) => {
    const c = corpus.cases.find((x) => x.name === name)!;
    expect(c.error).toBeDefined();
    expect(() => decodeOne(c.yaml)).not.toThrow();
  });
});

describe('documents of a stream', () => {
  test('split at --- and ... lines, each with its first content line; empty documents skipped', () => {
    const text = '# header\n---\napiVersion: v1\nkind: A\n---\n---\n# only a comment\n---\n\nkind: B\n...\n%YAML 1.1\n--- {kind: C}\n';
    const docs = decodeYamlStream('s.yaml', text);
    expect(docs.map((d) => [d.value, d.document.line])).toEqual([
      [{ apiVersion: 'v1', kind: 'A' }, 3],
      [{ kind: 'B' }, 10],
      [{ kind: 'C' }, 13],
    ]);
  });

  test('a --- inside a block scalar is indented and does not split; one at column 0 does', () => {
    const docs = [...splitYamlDocuments('a: |\n  ---\n  x\n---\nb: 1\n')];
    expect(docs).toHaveLength(2);
    expect(decodeYamlStream('s.yaml', 'a: |\n  ---\n  x\n')[0]!.value).toEqual({ a: '---\nx\n' });
  });

  test('read in chunks cut anywhere (mid-line, mid-marker), a stream splits into the same documents as read whole', () => {
    const text = '# header\n---\napiVersion: v1\nkind: A\n---\n---\n# c\n--- # marker comment\n\nkind: B\ndata: |\n  ---\n  ...\n...\n%YAML 1.1\n--- {kind: C}\n----\n...x: 1\nlast: line';
    const whole = [...splitYamlDocuments(text)];
    // [first content line, first line]; the header stays with the first document, empty documents are kept (decoding skips them).
    expect(whole.map((d) => [d.line, d.startLine])).toEqual([
      [3, 1],
      [5, 5],
      [6, 6],
      [10, 8],
      [16, 15],
    ]);
    expect(whole[3]!.text).toBe('--- # marker comment\n\nkind: B\ndata: |\n  ---\n  ...\n...\n');
    for (const size of [1, 2, 3, 4, 7, 64]) {
      const splitter = new YamlDocumentSplitter();
      const chunked = [];
      for (let at = 0; at < text.length; at += size) chunked.push(...splitter.push(text.slice(at, at + size)));
      chunked.push(...splitter.end());
      expect(chunked, `chunks of ${size}`).toEqual(whole);
    }
  });

  test('a syntax error names the line in the stream', () => {
    try {
      decodeYamlStream('bad.yaml', 'a: 1\n---\nb: [1,\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserInputError);
      expect((error as UserInputError).position).toMatchObject({ file: 'bad.yaml', line: expect.any(Number) });
      expect((error as UserInputError).position!.line).toBeGreaterThanOrEqual(3);
    }
  });

  test('an alias bomb is refused instead of expanding', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(() => decodeYamlStream('bomb.yaml', `${levels.join('\n')}\n`)).toThrow(/expands to more than/);
  });

  test('wide maps and long streams decode (duplicate keys are not checked pairwise)', () => {
    const wide = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    expect(Object.keys(decodeYamlStream('wide.yaml', wide)[0]!.value as object)).toHaveLength(20_000);
    const many = Array.from({ length: 20_000 }, (_, i) => `---\nn: ${i}\n`).join('');
    expect(decodeYamlStream('many.yaml', many)).toHaveLength(20_000);
  });
});
