import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { platformJsonSchema } from '../../src/config/index.js';

const committed = JSON.parse(readFileSync(new URL('../../platform.schema.json', import.meta.url), 'utf8'));

test('the committed platform.schema.json equals the schema generated from zod (run `npm run schema`)', () => {
  expect(committed).toEqual(platformJsonSchema());
});

test('editors using the JSON Schema accept the example and reject a short release version', () => {
  const validate = new Ajv2020({ strict: false }).compile(committed);
  const example = parse(readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8'));
  expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  example.environments[0].nodeGroups[0].releaseVersion = '1.34.0';
  expect(validate(example)).toBe(false);
});
