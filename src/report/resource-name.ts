import { relative, sep } from 'node:path';
import type { PolicyResult, ResourceRef } from '../policy-engine/index.js';

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function resourceName(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** A path as shown to users and tools: relative to `baseDir` with `/` separators; stdin stays `<stdin>`. */
export function displayPath(file: string, baseDir: string): string {
  if (file === '<stdin>') return file;
  return relative(baseDir, file).split(sep).join('/');
}

/** `file:line` of the resource a result is about. */
export function sourceLocation(source: PolicyResult['source'], baseDir: string): string {
  return `${displayPath(source.file, baseDir)}:${source.line}`;
}
