/**
 * The image list of an environment's cluster layer, for the copy job that fills a mirror
 * (`bottlerocket-eks images`): each image once, where it is published, where the cluster pulls it
 * from, and its digest (or why there is none).
 */
import type { PlatformModel } from '../config/index.js';
import { installedComponents, type ComponentFactory } from './component.js';
import { CLUSTER_COMPONENTS } from './components/index.js';
import { imageReference, sourceReference } from './images.js';

export interface ImageListEntry {
  readonly environment: string;
  readonly components: readonly string[];
  /** `registry/repository:tag` as published. */
  readonly source: string;
  /** What the cluster pulls: under `mirror.registry` when set, else the source; with the digest when known. */
  readonly target: string;
  readonly digest?: string;
  readonly digestSource: string;
}

export function listImages(platform: PlatformModel, environments: readonly string[] = [], factories: readonly ComponentFactory[] = CLUSTER_COMPONENTS): ImageListEntry[] {
  const selected = environments.length === 0 ? platform.environments : platform.environments.filter((env) => environments.includes(env.name));
  return selected.flatMap((env) => {
    const bySource = new Map<string, { entry: Omit<ImageListEntry, 'components'>; components: string[] }>();
    for (const component of installedComponents(factories, { platform, env })) {
      for (const pinned of component.images ?? []) {
        const source = sourceReference(pinned);
        const known = bySource.get(source);
        if (known !== undefined) {
          if (!known.components.includes(component.name)) known.components.push(component.name);
          continue;
        }
        const entry = {
          environment: env.name,
          source,
          target: imageReference(pinned, env.mirror?.registry),
          ...(pinned.digest === undefined ? {} : { digest: pinned.digest }),
          digestSource: pinned.digestSource,
        };
        bySource.set(source, { entry, components: [component.name] });
      }
    }
    return [...bySource.values()].map(({ entry, components }) => ({ ...entry, components }));
  });
}

/** One line per image: `<env> <source> -> <target> <digest or "no digest">`, columns aligned. */
export function formatImageList(entries: readonly ImageListEntry[]): string {
  const rows = entries.map((entry) => [entry.environment, entry.source, entry.target, entry.digest ?? 'NO DIGEST (see --format json)']);
  const header = ['ENVIRONMENT', 'SOURCE', 'TARGET', 'DIGEST'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
