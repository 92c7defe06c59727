import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsTemplate } from '../gates/rules/cluster.js';

/** The AWS layer's synthesized templates (`*.template.json`) in `dir`; none when the folder is missing. */
export async function readAwsTemplates(dir: string): Promise<AwsTemplate[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((name) => name.endsWith('.template.json')).sort();
  return Promise.all(files.map(async (name) => ({ file: join(dir, name), template: JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown })));
}
