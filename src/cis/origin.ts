/**
 * Where a report came from, read off its path. The collector's layout in the evidence bucket is
 * `cis/<cluster>/<yyyy>/<mm>/<dd>/<node>/<type>-L<level>.json`; the same layout on disk (e.g. an
 * `aws s3 sync` copy) is read the same way. Loose reports (the text `apiclient` prints, a raw API
 * JSON) may sit at `<cluster>/<node>/<file>` or `<node>/<file>` below the folder given to
 * `cis report`; `--cluster`/`--node` fill what the path does not say, and the rest stays `unknown`.
 */
import { EVIDENCE_PREFIX } from '../common/names.js';
import type { BenchmarkLevel, BenchmarkType } from './model.js';

export const UNKNOWN = 'unknown';

export interface PathOrigin {
  readonly cluster?: string;
  readonly node?: string;
  /** `yyyy-mm-dd` when the path follows the bucket layout. */
  readonly day?: string;
  readonly bucketLayout: boolean;
}

/** `EVIDENCE_PREFIX.cis` is the prefix the AWS layer scopes the collector's role to. */
const BUCKET_LAYOUT = new RegExp(`(?:^|/)${EVIDENCE_PREFIX.cis}([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/([^/]+)/[^/]+$`);

/** `relative`: the report's path below the input root, `/`-separated. */
export function originFromPath(relative: string): PathOrigin {
  const bucket = BUCKET_LAYOUT.exec(relative);
  if (bucket) {
    const [, cluster, yyyy, mm, dd, node] = bucket as unknown as [string, string, string, string, string, string];
    return { cluster, node, day: `${yyyy}-${mm}-${dd}`, bucketLayout: true };
  }
  const dirs = relative.split('/').slice(0, -1).filter((s) => s !== '' && s !== '.');
  const node = dirs[dirs.length - 1];
  const cluster = dirs[dirs.length - 2];
  return { ...(cluster ? { cluster } : {}), ...(node ? { node } : {}), bucketLayout: false };
}

/** The bucket key the collector writes a report to; one per node, benchmark, level and UTC day. */
export function evidenceKey(cluster: string, node: string, type: BenchmarkType, level: BenchmarkLevel, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  return `${EVIDENCE_PREFIX.cis}${cluster}/${yyyy}/${mm}/${dd}/${node}/${type}-L${level}.json`;
}
