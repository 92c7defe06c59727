/**
 * Change scalar values in a YAML file and nothing else. Re-stringifying a parsed document
 * normalises spacing, flow collections and long lines; editing the concrete syntax tree (the
 * `yaml` package's CST, reached from the Document through `keepSourceTokens`) rewrites only the
 * tokens of the changed scalars, so every other byte stays as the user wrote it.
 */
import { Composer, CST, isScalar, Parser } from 'yaml';

export interface ScalarEdit {
  readonly path: ReadonlyArray<string | number>;
  readonly value: string;
}

export function editScalars(text: string, edits: readonly ScalarEdit[]): string {
  const tokens = [...new Parser().parse(text)];
  const [document] = [...new Composer({ keepSourceTokens: true }).compose(tokens)];
  for (const edit of edits) {
    const node = document?.getIn(edit.path, true);
    if (!isScalar(node) || node.srcToken === undefined) throw new Error(`no scalar at ${edit.path.join('.')} to edit`);
    CST.setScalarValue(node.srcToken, edit.value);
  }
  return tokens.map((token) => CST.stringify(token)).join('');
}
