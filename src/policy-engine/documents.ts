/**
 * Reading Kubernetes objects from files, directory trees and stdin: multi-document YAML, JSON and
 * `kind: List`. Every object remembers its file and line so results and errors can point at it.
 * Integers are read as BigInt because CEL ints are; `1.5` stays a double.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { UserInputError } from '../common/errors.js';
import { discoverFiles, MANIFEST_FILES, type SkippedFile } from '../common/input-files.js';
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
}

/**
 * An object read from a file. Its YAML document (with positions) is only needed for error
 * messages, so it is parsed again on demand instead of being kept: a 10,000-object audit then
 * holds plain objects, not 10,000 syntax trees.
 */
class ParsedObject implements SourceObject {
  constructor(
    readonly object: KubeObject,
    readonly file: string,
    readonly line: number,
    readonly path: readonly (string | number)[],
    private readonly text: string,
    private readonly documentIndex: number,
  ) {}

  get source(): YamlSource {
    return parseYamlStream(this.file, this.text, { intAsBigInt: true })[this.documentIndex]!;
  }
}

function lineOf(source: YamlSource, node: unknown): number {
  const range = (node as Node | undefined)?.range;
  return range ? source.lineCounter.linePos(range[0]).line : 1;
}

/** Objects of one YAML/JSON text; `kind: List` and top-level arrays are flattened into their items. */
export function parseObjects(file: string, text: string): SourceObject[] {
  const out: SourceObject[] = [];
  parseYamlStream(file, text, { intAsBigInt: true }).forEach((source, documentIndex) => {
    const contents = source.document.contents;
    // A trailing `---` leaves an empty document (null contents or a null scalar).
    if (contents === null || contents === undefined || (isScalar(contents) && contents.value === null)) return;
    const value = source.document.toJS({ maxAliasCount: 100 }) as unknown;
    const item = (object: unknown, node: unknown, path: readonly (string | number)[]) => {
      if (object === null || typeof object !== 'object' || Array.isArray(object)) {
        throw new UserInputError('expected a Kubernetes object (a YAML mapping)', { position: positionOf(source, path) });
      }
      out.push(new ParsedObject(object as KubeObject, file, lineOf(source, node), path, text, documentIndex));
    };
    const items = (values: readonly unknown[], node: unknown, path: readonly (string | number)[]) =>
      values.forEach((v, index) => item(v, isSeq(node) ? node.items[index] : undefined, [...path, index]));
    if (isSeq(contents)) return items(value as unknown[], contents, []);
    const object = value as KubeObject | null;
    if (isMap(contents) && object?.kind === 'List' && Array.isArray(object.items)) return items(object.items, contents.get('items', true), ['items']);
    item(value, contents, []);
  });
  return out;
}

/**
 * Objects of every manifest under the given paths (`src/common/input-files.ts` finds the files);
 * `-` reads stdin once. Files a folder holds but that are not manifests go to `onSkipped`.
 */
export async function readObjects(paths: readonly string[], readStdin?: () => Promise<string>, onSkipped?: (file: SkippedFile) => void): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  for (const path of paths) {
    if (path === '-') {
      if (!readStdin) throw new UserInputError('`-` (stdin) is not available here');
      out.push(...parseObjects('<stdin>', await readStdin()));
      continue;
    }
    const { files, skipped } = await discoverFiles([path], MANIFEST_FILES);
    skipped.forEach((file) => onSkipped?.(file));
    for (const file of files) out.push(...parseObjects(file, await readFile(file, 'utf8')));
  }
  return out;
}
