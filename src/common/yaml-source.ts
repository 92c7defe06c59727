/**
 * Parse YAML while keeping positions, so every later error can name file, line and column.
 */
import { isNode, LineCounter, parseAllDocuments, parseDocument, type Document, type ParseOptions } from 'yaml';
import { UserInputError, UserInputErrors, type SourcePosition } from './errors.js';

export interface YamlSource {
  readonly file: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

function positionAt(file: string, lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col };
}

function throwOnYamlErrors(file: string, lineCounter: LineCounter, docs: readonly Document.Parsed[]): void {
  const errors = docs.flatMap((doc) =>
    doc.errors.map(
      (e) => new UserInputError(`invalid YAML: ${e.message.split('\n')[0]}`, { position: positionAt(file, lineCounter, e.pos[0]) }),
    ),
  );
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new UserInputErrors(errors);
}

/** Parse one YAML document; YAML syntax errors become `UserInputError`s with positions. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  throwOnYamlErrors(file, lineCounter, [document]);
  return { file, document, lineCounter };
}

/**
 * Parse a multi-document YAML stream (also accepts JSON, which is YAML). `options` adds schema
 * choices such as `intAsBigInt` (the policy engine reads integers as CEL ints).
 */
export function parseYamlStream(file: string, text: string, options: Pick<ParseOptions, 'intAsBigInt'> = {}): YamlSource[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...options, lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(documents)) {
    // An empty stream parses to an EmptyStream, which holds no documents.
    return [];
  }
  throwOnYamlErrors(file, lineCounter, documents);
  return documents.map((document) => ({ file, document, lineCounter }));
}

/**
 * Position of the node at `path` (or of its nearest existing ancestor), so an error about a
 * missing field still points at the object that lacks it.
 */
export function positionOf(source: YamlSource, path: readonly PropertyKey[]): SourcePosition {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = source.document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      return positionAt(source.file, source.lineCounter, node.range[0]);
    }
    // For a key whose value is null the pair has no node; point at the key instead.
    if (depth > 0) {
      const parent = source.document.getIn(path.slice(0, depth - 1) as unknown[], true);
      const keyPosition = keyPositionIn(source, parent, path[depth - 1]);
      if (keyPosition) return keyPosition;
    }
  }
  return { file: source.file, line: 1, col: 1 };
}

/** Position of the key `key` inside a YAML map node, if the map has it. */
export function keyPositionIn(source: YamlSource, mapNode: unknown, key: PropertyKey | undefined): SourcePosition | undefined {
  if (!isNode(mapNode) || !('items' in mapNode) || !Array.isArray(mapNode.items)) return undefined;
  for (const item of mapNode.items as Array<{ key?: unknown }>) {
    if (isNode(item.key) && 'value' in item.key && String(item.key.value) === String(key) && item.key.range) {
      return positionAt(source.file, source.lineCounter, item.key.range[0]);
    }
  }
  return undefined;
}

/** `environments[0].nodeGroups[1].releaseVersion` from `['environments', 0, 'nodeGroups', 1, 'releaseVersion']`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}
