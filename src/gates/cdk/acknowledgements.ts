/**
 * Acknowledgements recorded with CDK's `Validations.of(construct).acknowledge({ id, reason })`:
 * an accepted finding on a construct or any of its ancestors, with its written reason.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The reason `ruleId` was acknowledged on `construct` or an ancestor, if it was. */
export function acknowledgementReason(construct: IConstruct, ruleId: string): string | undefined {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        // aws-cdk-lib qualifies ids without a namespace as `Annotation::<id>`.
        if (key.replace(/^annotation::/i, '') === ruleId) return String(reason);
      }
    }
  }
  return undefined;
}

/** The construct at a construct path such as `stack/Bucket/Resource`, below `root`. */
export function constructAt(root: IConstruct, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = root;
  for (const segment of path.split('/')) {
    current = current?.node.tryFindChild(segment);
  }
  return current;
}
