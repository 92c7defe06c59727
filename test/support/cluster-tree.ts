/** Write a rendered cluster layer to a folder, as `synth` writes `<env>/cluster/` (tests that read a GitOps folder). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { serializeClusterTree } from '../../src/cluster/render.js';
import type { ClusterTree } from '../../src/cluster/tree.js';

export async function writeClusterTree(tree: Pick<ClusterTree, 'files'>, dir: string): Promise<void> {
  for (const file of serializeClusterTree(tree)) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.text);
  }
}
