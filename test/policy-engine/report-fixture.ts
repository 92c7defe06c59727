/** One small policy, four resources in two namespaces and their results: input for the report format tests. */
import { deployment, engineOf, exception, objects, pod, podPolicy } from './fixtures.js';

const severe = podPolicy('no-host-network', '!object.spec.?hostNetwork.orValue(false)');
(severe.metadata as Record<string, unknown>).annotations = {
  'policies.kyverno.io/title': 'No host network',
  'policies.kyverno.io/description': 'Pods on the host network reach IMDS.',
  'policies.kyverno.io/severity': 'high',
  'policies.kyverno.io/category': 'ADR-15',
};
export const engine = engineOf([severe], [exception('allow-cni', 'no-host-network', [{ name: 'cni', expression: "object.metadata.name == 'cni'" }])]);
export const input = objects('/work/manifests/app.yaml', [
  pod('web', {}, { namespace: 'apps' }),
  pod('sniffer', { hostNetwork: true }, { namespace: 'apps' }),
  pod('cni', { hostNetwork: true }, { namespace: 'kube-system' }),
  deployment('api', { hostNetwork: true }),
]);
export const results = engine.evaluate(input);
export const now = new Date('2026-01-02T03:04:05Z');

