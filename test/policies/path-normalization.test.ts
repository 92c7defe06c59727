/**
 * The hostPath policies normalize paths in CEL ('//', '.', '..', trailing '/'). This compares their
 * verdicts on generated paths with Node's own POSIX path resolution, so a slip in the CEL '..'
 * arithmetic shows up as a disagreement on a concrete path.
 */
import { posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestYaml } from '../policy-engine/fixtures.js';
import { loadPolicySet, parseObjects, type PolicyEngine } from '../../src/policy-engine/index.js';
import { POLICY_DIR } from '../../src/policies/index.js';

const API = 'bottlerocket-restrict-api-socket';
const RUNTIME = 'bottlerocket-restrict-runtime-sockets';
const MOUNTS = 'bottlerocket-restrict-system-mounts';

/** Reference rules on a path resolved by Node: equal to or a parent of a target, or inside a directory. */
function expectedFailures(path: string): string[] {
  const resolved = posix.resolve('/', path);
  const isParentOrSelf = (target: string) => resolved === '/' || target === resolved || target.startsWith(`${resolved}/`);
  const isInside = (dir: string) => resolved === dir || resolved.startsWith(`${dir}/`);
  const failures: string[] = [];
  if (['/run/api.sock', '/var/run/api.sock', '/bin/apiclient'].some(isParentOrSelf)) failures.push(API);
  const runtimeDirs = ['/run/containerd', '/run/host-containerd', '/var/run/containerd', '/var/run/host-containerd'];
  const sockets = ['docker.sock', 'dockershim.sock', 'cri-dockerd.sock', 'crio/crio.sock'].flatMap((s) => [`/run/${s}`, `/var/run/${s}`]);
  if (runtimeDirs.some(isInside) || [...runtimeDirs, ...sockets].some(isParentOrSelf)) failures.push(RUNTIME);
  // Every generated volume is mounted read-only, so only the directory list decides.
  if (resolved === '/' || ['/etc', '/run', '/var', '/local', '/opt', '/proc', '/sys', '/dev', '/boot', '/usr', '/lib', '/bin', '/sbin'].some(isInside)) {
    failures.push(MOUNTS);
  }
  return failures.sort();
}

/** Deterministic paths mixing the sensitive names with '', '.' and '..' segments. */
function generatedPaths(count: number): string[] {
  const segments = ['run', 'var', 'containerd', 'api.sock', 'bin', 'apiclient', 'crio', 'crio.sock', 'data', '..', '..', '.', ''];
  let seed = 15;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 7);
    const parts = Array.from({ length }, () => segments[next() % segments.length]!);
    paths.push(`/${parts.join('/')}${next() % 4 === 0 ? '/' : ''}`);
  }
  return paths;
}

describe('hostPath normalization in CEL', () => {
  let engine: PolicyEngine;
  beforeAll(async () => {
    engine = await loadPolicySet([`${POLICY_DIR}${API}.yaml`, `${POLICY_DIR}${RUNTIME}.yaml`, `${POLICY_DIR}${MOUNTS}.yaml`], []);
  });

  it('GIVEN 400 generated hostPath paths THEN the policies agree with POSIX path resolution on each', () => {
    const paths = generatedPaths(400);
    const pods = paths.map((path, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'team-a' },
      spec: {
        containers: [{ name: 'app', image: 'registry.example.com/app:1', volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }] }],
        volumes: [{ name: 'host', hostPath: { path } }],
      },
    }));
    const results = engine.evaluate(parseObjects('generated.yaml', pods.map(manifestYaml).join('---\n')));

    const got = paths.map((_, i) => results.filter((r) => r.resource.name === `pod-${i}` && r.result === 'fail').map((r) => r.policy).sort());
    const disagreements = paths.map((path, i) => ({ path, got: got[i], want: expectedFailures(path) })).filter((d) => d.got!.join() !== d.want.join());

    expect(disagreements).toEqual([]);
    expect(results.filter((r) => r.result === 'error')).toEqual([]);
    // The generator must exercise both verdicts of every policy, or the comparison proves little.
    for (const policy of [API, RUNTIME, MOUNTS]) {
      expect(got.filter((g) => g!.includes(policy)).length, policy).toBeGreaterThan(20);
      expect(got.filter((g) => !g!.includes(policy)).length, policy).toBeGreaterThan(20);
    }
  });
});
