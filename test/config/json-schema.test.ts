import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { platformJsonSchema } from '../../src/config/index.js';

const committed = JSON.parse(readFileSync(new URL('../../platform.schema.json', import.meta.url), 'utf8'));

test('the committed platform.schema.json equals the schema generated from zod (run `npm run schema`)', () => {
  expect(committed).toEqual(platformJsonSchema());
});

test('editors using the JSON Schema accept the example and reject a short release version', () => {
  const ajv = new Ajv2020({ strict: false });
  // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export. zod writes
  // `cidrv4`, which is not a JSON Schema format: editors treat it as an annotation.
  ajvFormats.default(ajv).addFormat('cidrv4', /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/);
  const validate = ajv.compile(committed);
  const example = parse(readFileSync(new URL('../../platform.yaml', import.meta.url), 'utf8'));
  expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  example.environments[0].nodeGroups[0].releaseVersion = '1.34.0';
  expect(validate(example)).toBe(false);
  example.environments[0].nodeGroups[0].releaseVersion = '1.47.0-6154605b';
  example.environments[2].falco.webhookUrl = 'not a url';
  expect(validate(example)).toBe(false);
});
