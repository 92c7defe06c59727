/**
 * Ajv set up for Kubernetes OpenAPI schemas (CRDs): the formats the API server validates, so no
 * format is "unknown" and ignored. ajv-formats gives `date-time`, `int32` and `int64` as OpenAPI
 * defines them; `uint32` (used by Kyverno's CRDs) is not in it and is added here with the same
 * meaning the API server gives it: a whole number from 0 to 2^32 - 1.
 */
import { Ajv, type Options } from 'ajv';
import ajvFormats from 'ajv-formats';

export function kubernetesAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ strict: false, ...options });
  // ajv-formats is CommonJS; under NodeNext its plugin is the `default` export.
  ajvFormats.default(ajv);
  ajv.addFormat('uint32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= 0 && value <= 2 ** 32 - 1 });
  return ajv;
}
