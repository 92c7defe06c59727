/**
 * One environment's part of the cloud assembly the gates judged: its stack, the artifacts the
 * stack depends on (the asset manifest) and a manifest naming only those. Written beside the
 * templates (`dist/<env>/cdk.out/`), it is what `bottlerocket-eks deploy` hands the CDK CLI as
 * `--app`, so the deployed templates are the gated ones and nothing is synthesized again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as cxapi from 'aws-cdk-lib/cx-api';

export const ASSEMBLY_MANIFEST = 'manifest.json';

/** Files (name relative to the assembly folder → content) of the stack's own assembly. */
export function stackAssemblyFiles(assembly: cxapi.CloudAssembly, stackName: string): Map<string, string> {
  const stack = assembly.getStackByName(stackName);
  const kept = new Set<string>();
  const keep = (artifact: cxapi.CloudArtifact) => {
    if (kept.has(artifact.id)) return;
    kept.add(artifact.id);
    artifact.dependencies.forEach(keep);
  };
  keep(stack);
  const artifacts = Object.fromEntries(Object.entries(assembly.manifest.artifacts ?? {}).filter(([id]) => kept.has(id)));
  const files = new Map<string, string>([[ASSEMBLY_MANIFEST, `${JSON.stringify({ ...assembly.manifest, artifacts }, null, 2)}\n`]]);
  for (const artifact of Object.values(artifacts)) {
    const properties = (artifact.properties ?? {}) as { templateFile?: string; file?: string };
    for (const file of [properties.templateFile, properties.file, artifact.additionalMetadataFile]) {
      if (file !== undefined) files.set(file, readFileSync(join(assembly.directory, file), 'utf8'));
    }
  }
  return files;
}
