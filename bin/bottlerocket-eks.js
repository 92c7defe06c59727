#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm ci` (the `prepare` script) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../build/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('bottlerocket-eks: build/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
