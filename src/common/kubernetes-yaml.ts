/**
 * Decode YAML manifests the way the Kubernetes API server, kubectl, Helm and the Kyverno CLI do:
 * YAML 1.1 as go-yaml v2 resolves it (sigs.k8s.io/yaml's `YAMLToJSON`), then JSON semantics as
 * apimachinery applies them. Every reader of Kubernetes objects (audit, `policy test` resources,
 * policies, cluster-layer gates) goes through here, so the offline verdict sees the object the
 * cluster would run.
 *
 * API:
 * - `splitYamlDocuments(text)`: the documents of a stream, each with its first line, in one
 *   linear pass (a line starting with `---` or `...` always ends a document in YAML);
 *   `YamlDocumentSplitter` does the same for a stream read chunk by chunk.
 * - `decodeYamlDocument(file, document)`: one document's value, or `undefined` for an empty one.
 * - `decodeYamlStream(file, text)`: both, for a whole text.
 * Syntax errors and values JSON cannot carry are `UserInputError`s at `file:line:col`.
 *
 * What go-yaml v2 does and this reproduces (test/common/yaml-corpus.json records
 * sigs.k8s.io/yaml's answer for each case):
 * - booleans `y Y yes Yes YES on On ON true True TRUE` and their `n no off false` twins;
 * - integers parsed like Go's `strconv.ParseInt(s, 0, 64)` after removing `_`: `0777` and
 *   `0o777` are octal, `0x`/`0b` prefixes, a sign; beyond int64 they become doubles;
 * - floats matching go-yaml's pattern; an integral float (`1.0`, `1e3`) is printed by
 *   `YAMLToJSON` without a fraction, so the API server reads it as an integer;
 * - `1:30` (sexagesimal) and timestamps stay strings: go-yaml v2 does not resolve them;
 * - merge keys `<<` (a map or a list of maps, earlier maps win) applied in key order, as go-yaml
 *   v2 does, so a merge written after a key overrides it;
 * - duplicate keys: the last one wins; `.inf`/`.nan` make the document invalid (JSON has none);
 * - local tags (`!foo`) are ignored; `!!binary` is decoded.
 * Integers are BigInt (CEL ints), other numbers doubles. Explicit nulls stay as `YAMLToJSON`
 * gives them; `apiServerObject` (kubernetes-types.ts) treats them as the API server would.
 */
import jsyaml from 'js-yaml';
import { UserInputError } from './errors.js';

export interface YamlDocumentText {
  /** The document's text, markers included. */
  readonly text: string;
  /** 1-based line of the document's first content line in the stream. */
  readonly line: number;
  /** 1-based line where the document's text starts in the stream. */
  readonly startLine: number;
  /** 0-based index of the document in the stream. */
  readonly index: number;
}

const MERGE_PREFIX = '\u0000<<';
let mergeKeys = 0;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const BOOLEANS: Readonly<Record<string, boolean>> = Object.freeze({
  y: true, Y: true, yes: true, Yes: true, YES: true, true: true, True: true, TRUE: true, on: true, On: true, ON: true,
  n: false, N: false, no: false, No: false, NO: false, false: false, False: false, FALSE: false, off: false, Off: false, OFF: false,
});
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Readonly<Record<string, number>> = Object.freeze({
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
});
// go-yaml v2's yamlStyleFloat.
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

/** Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: a BigInt, a double beyond int64, or undefined. */
function parseGoInteger(s: string): bigint | number | undefined {
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  let base = 10;
  let digits = s.slice(i);
  if (digits.length > 1 && digits[0] === '0') {
    const prefix = digits[1]!;
    if (prefix === 'x' || prefix === 'X') [base, digits] = [16, digits.slice(2)];
    else if (prefix === 'o' || prefix === 'O') [base, digits] = [8, digits.slice(2)];
    else if (prefix === 'b' || prefix === 'B') [base, digits] = [2, digits.slice(2)];
    else [base, digits] = [8, digits.slice(1)];
  }
  if (!DIGITS[base]!.test(digits)) return undefined;
  const magnitude = BigInt(base === 10 ? digits : `0${base === 16 ? 'x' : base === 8 ? 'o' : 'b'}${digits}`);
  const value = negative ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint accepts no sign; either way the API server reads the JSON number as a double.
  if (!negative && s[0] !== '+' && value <= UINT64_MAX) return Number(value);
  return undefined;
}

/** A double as the API server reads it back from `YAMLToJSON`'s output: integral ones are ints. */
function jsonNumber(value: number): bigint | number {
  if (Number.isInteger(value) && Math.abs(value) < 1e21 && value >= -9223372036854775808 && value < 9223372036854775808) return BigInt(value);
  return value;
}

/** go-yaml v2's `resolve("", s)` for a plain scalar. */
function resolvePlain(s: string): unknown {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  // Letters go-yaml looks up in its table ('yYnNtTfFoO~'), '<' for the merge key.
  if (c > 0x39 || c === 0x2e /* . */) {
    const bool = BOOLEANS[s];
    if (bool !== undefined) return bool;
    if (NULLS.has(s)) return null;
    if (s === '<<') return `${MERGE_PREFIX}${mergeKeys++}`;
    if (c === 0x2e) {
      const special = SPECIAL_FLOATS[s];
      if (special !== undefined) return special;
      if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return jsonNumber(Number(s));
    }
    return s;
  }
  if (c === 0x7e /* ~ */) return s === '~' ? null : s;
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d)) return s;
  const special = SPECIAL_FLOATS[s];
  if (special !== undefined) return special;
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return jsonNumber(value);
  }
  return s;
}

/**
 * Whether go-yaml v2 reads `s`, written as a plain scalar, back as the string `s` (and not as a
 * bool, number, null or merge key). The YAML writer (yaml-writer.ts) quotes every string for
 * which this is false.
 */
export function plainScalarReadsAsString(s: string): boolean {
  return s !== '<<' && resolvePlain(s) === s;
}

const YAML_TAG = 'tag:yaml.org,2002:';

function cannotDecode(value: string, tag: string): never {
  throw new Error(`cannot decode \`${value}\` as a !!${tag}`);
}

/** `!!int`, `!!float`, `!!bool`, `!!null` on a scalar: go-yaml resolves it and refuses a mismatch. */
function taggedScalar(tag: string, check: (value: unknown) => unknown) {
  return new jsyaml.Type(`${YAML_TAG}${tag}`, {
    kind: 'scalar',
    construct: (data: string | null) => {
      const text = data ?? '';
      const value = resolvePlain(text);
      const result = check(value);
      return result === undefined ? cannotDecode(text, tag) : result;
    },
  });
}

const passThrough = (kind: 'scalar' | 'sequence' | 'mapping', prefix: string) =>
  new jsyaml.Type(prefix, { kind, multi: true, construct: (data: unknown) => data ?? (kind === 'scalar' ? '' : data) });

/** go-yaml v2's resolution as a js-yaml schema: one implicit type that resolves every plain scalar. */
const GO_YAML_V2_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [new jsyaml.Type(`${YAML_TAG}go-yaml-v2-plain`, { kind: 'scalar', resolve: () => true, construct: (data: string | null) => resolvePlain(data ?? '') })],
  explicit: [
    taggedScalar('int', (v) => (typeof v === 'bigint' ? v : undefined)),
    taggedScalar('float', (v) => (typeof v === 'bigint' ? jsonNumber(Number(v)) : typeof v === 'number' ? v : undefined)),
    taggedScalar('bool', (v) => (typeof v === 'boolean' ? v : undefined)),
    new jsyaml.Type(`${YAML_TAG}null`, { kind: 'scalar', construct: (data: string | null) => (NULLS.has(data ?? '') ? null : cannotDecode(data ?? '', 'null')) }),
    new jsyaml.Type(`${YAML_TAG}timestamp`, { kind: 'scalar', construct: (data: string | null) => data ?? '' }),
    new jsyaml.Type(`${YAML_TAG}binary`, {
      kind: 'scalar',
      construct: (data: string | null) => {
        const clean = (data ?? '').replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new Error('!!binary value contains invalid base64 data');
        return Buffer.from(clean, 'base64').toString('utf8');
      },
    }),
    // Tags go-yaml does not resolve (local `!foo`, unknown `!!x`) leave the value as written.
    ...(['scalar', 'sequence', 'mapping'] as const).flatMap((kind) => [passThrough(kind, '!'), passThrough(kind, 'tag:')]),
  ],
});

/** Past this many decoded nodes a document is refused: aliases could otherwise expand it exponentially. */
export const MAX_DOCUMENT_NODES = 5_000_000;

class Normalizer {
  private nodes = 0;

  constructor(private readonly fail: (message: string) => never) {}

  /** JSON semantics: merges applied, no NaN/Inf. Nulls stay: what the API server makes of them depends on the field (kubernetes-types.ts). */
  value(value: unknown): unknown {
    if (++this.nodes > MAX_DOCUMENT_NODES) this.fail(`document expands to more than ${MAX_DOCUMENT_NODES} values (aliases)`);
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'number' && !Number.isFinite(value)) this.fail(`${value} cannot be represented in JSON`);
      if (typeof value === 'string' && value.startsWith(MERGE_PREFIX)) return '<<';
      return value;
    }
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.value(value[i]);
      return out;
    }
    return this.map(value as Record<string, unknown>);
  }

  private map(source: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key in source) {
      if (key.startsWith(MERGE_PREFIX)) this.merge(out, source[key]);
      else out[key] = this.value(source[key]);
    }
    return out;
  }

  /** go-yaml v2: the merged map's keys are set in place, overriding; in a list, earlier maps win. */
  private merge(into: Record<string, unknown>, source: unknown): void {
    const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    const sources = Array.isArray(source) ? [...source].reverse() : [source];
    if (!sources.every(isMap)) this.fail('map merge requires map or sequence of maps as the value');
    for (const map of sources) Object.assign(into, this.map(map));
  }
}

function yamlError(file: string, document: YamlDocumentText, error: unknown): UserInputError {
  const e = error as { reason?: string; message?: string; mark?: { line: number; column: number } };
  const reason = e.reason ?? String(e.message ?? error).split('\n')[0];
  const position = e.mark ? { file, line: document.startLine + e.mark.line, col: e.mark.column + 1 } : { file, line: document.line, col: 1 };
  return new UserInputError(`invalid YAML: ${reason}`, { position, cause: error });
}

/**
 * The value of one document as the API server would see it; `undefined` for an empty document
 * (only comments, a bare `---`, or `null`).
 */
export function decodeYamlDocument(file: string, document: YamlDocumentText): unknown {
  let raw: unknown;
  try {
    raw = jsyaml.load(document.text, { schema: GO_YAML_V2_SCHEMA, json: true, filename: file });
  } catch (error) {
    throw yamlError(file, document, error);
  }
  if (raw === null || raw === undefined) return undefined;
  const fail = (message: string): never => {
    throw new UserInputError(`invalid YAML: ${message}`, { position: { file, line: document.line, col: 1 } });
  };
  return new Normalizer(fail).value(raw);
}

const isBreak = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n';
const NON_SPACE = /\S/;

/**
 * Splits a YAML stream into documents as its text arrives, chunk by chunk, holding only the
 * document being read and the unfinished last line: a 200 MB manifest is never one string.
 * Documents end at `---` and `...` lines, as go-yaml v2's scanner ends them (the marker at column
 * 0, followed by a blank or the end of the line; YAML forbids such lines inside content, block
 * and quoted scalars included, so this never cuts a value). Directives stay with the document
 * they precede. Linear in the text.
 */
export class YamlDocumentSplitter {
  /** Finished lines of the current document. */
  private parts: string[] = [];
  /** The unfinished last line. */
  private tail = '';
  private startLine = 1;
  private contentLine = 0;
  private hasMarker = false;
  private index = 0;
  private lineNumber = 1;

  /** The documents `chunk` completes. */
  push(chunk: string): YamlDocumentText[] {
    return this.scan(this.tail + chunk, false);
  }

  /** The rest, once the stream has ended. */
  end(): YamlDocumentText[] {
    return this.scan(this.tail, true);
  }

  private scan(text: string, final: boolean): YamlDocumentText[] {
    const out: YamlDocumentText[] = [];
    let segment = 0;
    let position = 0;
    while (position < text.length) {
      let end = text.indexOf('\n', position);
      if (end < 0) {
        if (!final) break;
        end = text.length;
      }
      const first = text[position];
      if (first === '-' && text.startsWith('---', position) && isBreak(text[position + 3])) {
        if (this.hasMarker || this.contentLine) {
          out.push(this.take(text.slice(segment, position)));
          segment = position;
          this.startLine = this.lineNumber;
          this.contentLine = 0;
        }
        this.hasMarker = true;
        if (NON_SPACE.test(text.slice(position + 3, end).replace(/#.*/, ''))) this.contentLine = this.lineNumber;
      } else if (first === '.' && text.startsWith('...', position) && isBreak(text[position + 3])) {
        out.push(this.take(text.slice(segment, end + 1)));
        segment = end + 1;
        [this.startLine, this.contentLine, this.hasMarker] = [this.lineNumber + 1, 0, false];
      } else if (this.contentLine === 0 && first !== '#' && first !== '%') {
        const line = text.slice(position, end);
        if (NON_SPACE.test(line) && !line.trimStart().startsWith('#')) this.contentLine = this.lineNumber;
      }
      position = end + 1;
      this.lineNumber++;
    }
    if (!final) {
      if (segment < position) this.parts.push(text.slice(segment, position));
      this.tail = text.slice(position);
      return out;
    }
    const rest = text.slice(segment);
    if ((this.parts.length > 0 || rest !== '') && (this.hasMarker || this.contentLine)) out.push(this.take(rest));
    this.parts = [];
    this.tail = '';
    return out;
  }

  /** The current document, ending with `rest`; the next one starts empty. */
  private take(rest: string): YamlDocumentText {
    const text = this.parts.length === 0 ? rest : this.parts.join('') + rest;
    this.parts = [];
    return { text, line: this.contentLine || this.startLine, startLine: this.startLine, index: this.index++ };
  }
}

/** The documents of a whole text (see YamlDocumentSplitter). */
export function* splitYamlDocuments(text: string): Generator<YamlDocumentText> {
  const splitter = new YamlDocumentSplitter();
  yield* splitter.push(text);
  yield* splitter.end();
}

export interface DecodedDocument {
  readonly value: unknown;
  readonly document: YamlDocumentText;
}

/** Every non-empty document of a text, decoded. */
export function decodeYamlStream(file: string, text: string): DecodedDocument[] {
  const out: DecodedDocument[] = [];
  for (const document of splitYamlDocuments(text)) {
    const value = decodeYamlDocument(file, document);
    if (value !== undefined) out.push({ value, document });
  }
  return out;
}
