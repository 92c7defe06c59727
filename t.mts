import { compileCel } from './src/policy-engine/cel-env.ts';
import { withLookupContext } from './src/policy-engine/cel-kyverno.ts';
const ctx = { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: 'b' } }], images: [{ image: 'ghcr.io/x/y:1', manifest: { annotations: { k: 'v' } } }] };
for (const e of ["resource.Get('v1', 'configmaps', 'default', 'cm').data.a", "size(resource.List('v1', 'configmaps', '').items)", "image.GetMetadata('ghcr.io/x/y:1').manifest.annotations.k", "parseImageReference('nginx').repository()", "parseImageReference('ghcr.io/a/b:2@sha256:' + 'a'.repeat ? 'x' : 'y')", "parseServiceAccount('system:serviceaccount:ns:sa').name", "json.unmarshal('{\"a\": 1}').a", "yaml.parse('a: yes').a", "http.Get('http://x')", "sha256('a')", "resource.Get('v1', 'secrets', 'default', 'x')"]) {
  const c: any = compileCel(e);
  if (c.typeError) { console.log(e, 'TYPE', c.typeError.message.split('\n')[0]); continue; }
  try { console.log(e, '=>', withLookupContext(ctx, () => c.program({}))); } catch (err: any) { console.log(e, 'ERR', err.message.split('\n')[0]); }
}
