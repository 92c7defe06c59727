/**
 * Reading Kubernetes objects from files, directory trees and stdin: multi-document YAML, JSON and
 * `kind: List`, decoded as the API server decodes them (src/common/kubernetes-yaml.ts). Every
 * object remembers its file and line so results and errors can point at it, and the problems the
 * API server would refuse it for (values of the wrong type for known fields).
 */
import { createReadStream } from 'node:fs';
import { isSeq, type Node } from 'yaml';
import { UserInputError } from '../common/errors.js';
import { discoverFiles, MANIFEST_FILES, type SkippedFile } from '../common/input-files.js';
import { apiServerObject } from '../common/kubernetes-types.js';
import { decodeYamlDocument, splitYamlDocuments, YamlDocumentSplitter, type YamlDocumentText } from '../common/kubernetes-yaml.js';
import { parseYamlStream, positionOf, type YamlSource } from '../common/yaml-source.js';

export type KubeObject = Record<string, unknown>;

export interface SourceObject {
  readonly object: KubeObject;
  readonly file: string;
  /** 1-based line where the object starts. */
  readonly line: number;
  /** The YAML document and the path of the object inside it, for positions of nested fields. */
  readonly source: YamlSource;
  readonly path: readonly (string | number)[];
  /** Why the API server would refuse this object (wrong-typed fields); empty when it would decode it. */
  readonly invalid: readonly string[];
}

/**
 * An object read from a file. Its YAML syntax tree (with positions) is only needed for error
 * messages, so it is parsed from the document's text on demand instead of being kept: a
 * 10,000-object audit then holds plain objects, not 10,000 syntax trees.
 */
class ParsedObject implements SourceObject {
  constructor(
    readonly object: KubeObject,
    readonly file: string,
    readonly line: number,
    readonly path: readonly (string | number)[],
    private readonly document: YamlDocumentText,
    readonly invalid: readonly string[],
  ) {}

  get source(): YamlSource {
    return sourceOf(this.file, this.document);
  }
}

/** The document parsed with positions; blank lines in front keep its line numbers those of the file. */
function sourceOf(file: string, document: YamlDocumentText): YamlSource {
  return parseYamlStream(file, '\n'.repeat(document.startLine - 1) + document.text, { intAsBigInt: true })[0]!;
}

function lineOf(source: YamlSource, node: unknown): number {
  const range = (node as Node | undefined)?.range;
  return range ? source.lineCounter.linePos(range[0]).line : 1;
}

/** The objects of one document; `kind: List` and top-level arrays are flattened into their items. */
function documentObjects(file: string, document: YamlDocumentText, out: SourceObject[]): void {
  const value = decodeYamlDocument(file, document);
  if (value === undefined) return;
  const item = (object: unknown, line: number, path: readonly (string | number)[]) => {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      throw new UserInputError('expected a Kubernetes object (a YAML mapping)', { position: { file, line, col: 1 } });
    }
    out.push(new ParsedObject(object as KubeObject, file, line, path, document, apiServerObject(object as KubeObject)));
  };
  const list = Array.isArray(value) ? value : (value as KubeObject).kind === 'List' && Array.isArray((value as KubeObject).items) ? ((value as KubeObject).items as unknown[]) : undefined;
  if (!list) {
    item(value, document.line, []);
    return;
  }
  // Lists are rare: their items' lines come from a parse with positions.
  const base: (string | number)[] = Array.isArray(value) ? [] : ['items'];
  const source = sourceOf(file, document);
  const node = source.document.getIn(base, true);
  list.forEach((entry, index) => item(entry, lineOf(source, isSeq(node) ? node.items[index] : undefined) || document.line, [...base, index]));
}

/** Objects of one YAML/JSON text. */
export function parseObjects(file: string, text: string): SourceObject[] {
  const out: SourceObject[] = [];
  for (const document of splitYamlDocuments(text)) documentObjects(file, document, out);
  return out;
}

/** How much of a file is read at a time: memory holds this, the document being read, and its objects. */
const CHUNK_BYTES = 1 << 20;

/** The objects of a file, read chunk by chunk and decoded document by document. */
async function* fileObjects(file: string): AsyncGenerator<SourceObject[]> {
  const splitter = new YamlDocumentSplitter();
  const decode = (documents: readonly YamlDocumentText[]) => {
    const out: SourceObject[] = [];
    for (const document of documents) documentObjects(file, document, out);
    return out;
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })) {
    const objects = decode(splitter.push(chunk as string));
    if (objects.length > 0) yield objects;
  }
  const objects = decode(splitter.end());
  if (objects.length > 0) yield objects;
}

/**
 * Objects of every manifest under the given paths (`src/common/input-files.ts` finds the files),
 * in batches as they are decoded, so a caller that does not keep them reads any amount of input
 * in bounded memory; `-` reads stdin once. Files a folder holds but that are not manifests go
 * to `onSkipped`.
 */
export async function* streamObjects(paths: readonly string[], readStdin?: () => Promise<string>, onSkipped?: (file: SkippedFile) => void): AsyncGenerator<SourceObject[]> {
  for (const path of paths) {
    if (path === '-') {
      if (!readStdin) throw new UserInputError('`-` (stdin) is not available here');
      yield parseObjects('<stdin>', await readStdin());
      continue;
    }
    const { files, skipped } = await discoverFiles([path], MANIFEST_FILES);
    skipped.forEach((file) => onSkipped?.(file));
    for (const file of files) yield* fileObjects(file);
  }
}

/** Every object `streamObjects` reads, in one array. */
export async function readObjects(paths: readonly string[], readStdin?: () => Promise<string>, onSkipped?: (file: SkippedFile) => void): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  for await (const batch of streamObjects(paths, readStdin, onSkipped)) out.push(...batch);
  return out;
}
