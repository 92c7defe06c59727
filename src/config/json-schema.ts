/**
 * The JSON Schema of `platform.yaml`, generated from the zod schema and committed as
 * `platform.schema.json` so editors (yaml-language-server) complete and check the file.
 * A test keeps the committed copy equal to the generated one.
 */
import { z } from 'zod';
import { platformSchema } from './schema.js';

export function platformJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(platformSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/bottlerocket-eks/bottlerocket-eks/platform.schema.json',
    title: 'bottlerocket-eks platform.yaml',
  };
}
