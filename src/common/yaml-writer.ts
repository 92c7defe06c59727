/**
 * The one YAML writer: every YAML text the tool writes (the cluster layer, PolicyReports, Helm
 * values and chart metadata, Falco rules, the promotion ledger) goes through here, so whatever
 * reads it (kubectl, Helm, Flux and Kyverno through sigs.k8s.io/yaml's go-yaml v2; YAML 1.1
 * readers such as PyYAML; the `yaml` package's 1.2 reader) gets back the strings we wrote.
 *
 * The `yaml` package's YAML 1.1 schema quotes the 1.1 spellings of booleans, numbers,
 * timestamps and sexagesimals, but not all that go-yaml v2 resolves (`0o17`, `0X1F`, `0B1`,
 * `-_1` are integers to `strconv.ParseInt` after go-yaml drops the underscores). So each string
 * scalar, key or value, is also checked against go-yaml v2's resolver (kubernetes-yaml.ts) and
 * double-quoted when it would not come back as the same string.
 */
import { Document, isDocument, isScalar, visit, type Tags } from 'yaml';
import { plainScalarReadsAsString } from './kubernetes-yaml.js';

const MERGE_TAG = 'tag:yaml.org,2002:merge';
/** The 1.1 schema would write the string `<<` as a bare merge key; without its tag the string is quoted like the rest. */
const withoutMergeKeys = (tags: Tags): Tags => tags.filter((tag) => typeof tag === 'string' || tag.tag !== MERGE_TAG);

/** Quote, in place, every string scalar that go-yaml v2 would not read back as that string. */
function quoteAmbiguousStrings(document: Document): void {
  visit(document, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && (node.type === undefined || node.type === 'PLAIN') && !plainScalarReadsAsString(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
}

/**
 * One YAML document's text (no `---` marker). A `Document` (a parsed file being edited, such as
 * the ledger) keeps its comments, layout and the schema it was read with, so the strings it
 * already held are written as before (a ledger's plain dates stay plain for the tool that reads
 * it back); go-yaml v2's rule still quotes its ambiguous strings.
 */
export function toYaml(value: unknown): string {
  const document = isDocument(value) ? value.clone() : new Document(value, { version: '1.1', customTags: withoutMergeKeys });
  quoteAmbiguousStrings(document);
  return document.toString({ lineWidth: 0 });
}

/** A multi-document YAML stream, one document per value, separated by `---` lines. */
export function toYamlStream(values: readonly unknown[], options: { readonly leadingMarker?: boolean } = {}): string {
  const text = values.map((value) => toYaml(value)).join('---\n');
  return options.leadingMarker && values.length > 0 ? `---\n${text}` : text;
}
