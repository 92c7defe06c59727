/** Validators built from the Kyverno policy CRDs of the targeted version (../shared/reference/crds). */
import { crdValidators } from '../../src/cluster/object-schema.js';
import { referenceDocuments } from './reference.js';

export function kyvernoCrdValidators() {
  return crdValidators(
    ['policies.kyverno.io_validatingpolicies.yaml', 'policies.kyverno.io_policyexceptions.yaml', 'policies.kyverno.io_namespacedvalidatingpolicies.yaml'].flatMap((file) =>
      referenceDocuments('crds', file),
    ),
  );
}
