/**
 * The tool's own name and version, from its package.json: `--version` prints it and every output
 * manifest records it. `src/common/` and `build/common/` both sit two folders below the package root.
 */
import { readFileSync } from 'node:fs';

interface PackageJson {
  readonly name: string;
  readonly version: string;
}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

export const TOOL_NAME: string = packageJson.name;
export const TOOL_VERSION: string = packageJson.version;
