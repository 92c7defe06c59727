/**
 * The ADR policy set over the real rendered manifests of the system components
 * (../shared/reference/upstream-manifests) plus the kube-proxy, CoreDNS and Pod Identity agent add-on
 * fixtures (test/policies/fixtures, each recording its source).
 * FINDINGS is the reviewed truth of what each component's default settings deserve without
 * exceptions; with the shipped exceptions, every one of them turns into a skip, except the defaults
 * the project's values replace (falcosidekick's securityContext), which ship no exception.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicySet, readObjects, type PolicyEngine, type PolicyResult } from '../../src/policy-engine/index.js';
import { EXCEPTION_DIR, POLICY_DIR } from '../../src/policies/index.js';
import { loadPolicyFiles } from '../../test/policies/policy-files.js';
import { referencePath } from '../support/reference.js';

const UPSTREAM = `${referencePath('upstream-manifests')}/`;
/** src/cluster/components/falco.ts sets falcosidekick's pod and container securityContext. */
const SIDEKICK_VALUES = 'falco component values falcosidekick.podSecurityContext and .securityContext';
const FIXTURES = fileURLToPath(new URL('../../test/policies/fixtures/', import.meta.url));

const PRIV = 'bottlerocket-disallow-privileged';
const ESC = 'bottlerocket-restrict-escalation';
const API = 'bottlerocket-restrict-api-socket';
const RUNTIME = 'bottlerocket-restrict-runtime-sockets';
const SELINUX = 'bottlerocket-restrict-selinux-labels';
const MOUNTS = 'bottlerocket-restrict-system-mounts';
const NET = 'bottlerocket-disallow-host-network';
const BLOCK = 'bottlerocket-restrict-block-devices';
const ROOT = 'bottlerocket-disallow-uid-zero';
const SECCOMP = 'bottlerocket-require-seccomp';
const DROP = 'bottlerocket-require-drop-all';
const GROUP = 'bottlerocket-disallow-root-group';

interface Finding {
  readonly policies: readonly string[];
  /** The component exception covering them; none where our values fix the chart default (`fixedBy`). */
  readonly exception?: string;
  /** Where the project's values give the component what these defaults lack, so no exception ships. */
  readonly fixedBy?: string;
  /** Policies granted by another exception of the same component. */
  readonly grantedBy?: Readonly<Record<string, string>>;
}

const exceptionFor = (finding: Finding, policy: string) => finding.grantedBy?.[policy] ?? finding.exception;
const excepted = (finding: Finding) => finding.exception !== undefined;

interface Component {
  readonly file: string;
  /** `Kind/name` → the policies it fails without exceptions, and the exception that covers them. */
  readonly findings: Readonly<Record<string, Finding>>;
}

const COMPONENTS: readonly Component[] = [
  {
    file: `${UPSTREAM}brupop.yaml`,
    findings: {
      // Mounts /run/api.sock and /bin/apiclient writable, runs as super_t, no securityContext otherwise.
      'DaemonSet/brupop-agent': { policies: [ESC, API, SELINUX, MOUNTS, ROOT, SECCOMP, DROP], exception: 'brupop-agent' },
      // No securityContext at all (and no chart value for one): escalation allowed, the image user
      // (root) applies, no seccomp profile, the runtime's default capabilities.
      'Deployment/brupop-apiserver': { policies: [ESC, ROOT, SECCOMP, DROP], exception: 'brupop-apiserver' },
      'Deployment/brupop-controller-deployment': { policies: [ESC, ROOT, SECCOMP, DROP], exception: 'brupop-controller' },
    },
  },
  {
    file: `${UPSTREAM}falco.yaml`,
    findings: {
      // Privileged falco container, containerd socket, /boot /lib/modules /usr /etc /sys/kernel /proc, root.
      'DaemonSet/falco': {
        policies: [PRIV, ESC, RUNTIME, MOUNTS, ROOT, SECCOMP, DROP],
        exception: 'falco',
        grantedBy: { [PRIV]: 'falco-privileged-driver' },
      },
      // runAsUser 1234, but allowPrivilegeEscalation is never set to false, no seccomp profile, no drop.
      'Deployment/falco-falcosidekick': { policies: [ESC, SECCOMP, DROP], fixedBy: SIDEKICK_VALUES },
    },
  },
  {
    file: `${UPSTREAM}falco-least-privileged.yaml`,
    findings: {
      // Not privileged, but adds BPF, SYS_RESOURCE, PERFMON and SYS_PTRACE.
      'DaemonSet/falco': { policies: [ESC, RUNTIME, MOUNTS, ROOT, SECCOMP, DROP], exception: 'falco' },
      'Deployment/falco-falcosidekick': { policies: [ESC, SECCOMP, DROP], fixedBy: SIDEKICK_VALUES },
    },
  },
  {
    file: `${UPSTREAM}aws-vpc-cni.yaml`,
    findings: {
      // Privileged init and node agent, NET_ADMIN/NET_RAW, host network, CNI and log dirs writable.
      'DaemonSet/aws-node': { policies: [PRIV, ESC, MOUNTS, NET, ROOT, SECCOMP, DROP], exception: 'aws-node' },
    },
  },
  {
    file: `${UPSTREAM}aws-ebs-csi-driver.yaml`,
    findings: {
      // Privileged plugin, /var/lib/kubelet and /dev, pod runAsUser 0 / runAsGroup 0 / fsGroup 0.
      'DaemonSet/ebs-csi-node': { policies: [PRIV, ESC, MOUNTS, BLOCK, ROOT, SECCOMP, DROP, GROUP], exception: 'ebs-csi-node' },
      // Windows paths escape the Linux directory list, but the mounts are writable.
      'DaemonSet/ebs-csi-node-windows': { policies: [ESC, MOUNTS, ROOT, SECCOMP, DROP], exception: 'ebs-csi-node-windows' },
      // Non-root 1000 without escalation, but liveness-probe has no seccomp profile and nothing drops ALL.
      'Deployment/ebs-csi-controller': { policies: [SECCOMP, DROP], exception: 'ebs-csi-controller' },
    },
  },
  { file: `${UPSTREAM}kyverno.yaml`, findings: {} },
  { file: `${UPSTREAM}cert-manager.yaml`, findings: {} },
  {
    file: `${FIXTURES}kube-proxy.yaml`,
    findings: {
      'DaemonSet/kube-proxy': { policies: [PRIV, ESC, MOUNTS, NET, ROOT, SECCOMP, DROP], exception: 'kube-proxy' },
    },
  },
  {
    file: `${FIXTURES}coredns.yaml`,
    findings: {
      // No escalation, drops ALL (adds back NET_BIND_SERVICE), but no runAsNonRoot/runAsUser and no seccomp profile.
      'Deployment/coredns': { policies: [ROOT, SECCOMP], exception: 'coredns' },
    },
  },
  {
    file: `${FIXTURES}eks-pod-identity-agent.yaml`,
    findings: {
      // Host network, privileged init container, CAP_NET_BIND_SERVICE added, nothing dropped, no user or seccomp.
      'DaemonSet/eks-pod-identity-agent': { policies: [PRIV, ESC, NET, ROOT, SECCOMP, DROP], exception: 'eks-pod-identity-agent' },
    },
  },
];

const shortFile = (file: string) => file.split('/').slice(-1)[0];
const resourceKey = (r: PolicyResult) => `${r.resource.kind}/${r.resource.name}`;

function failuresOf(results: readonly PolicyResult[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of results) if (r.result === 'fail') (out[resourceKey(r)] ??= []).push(r.policy);
  for (const policies of Object.values(out)) policies.sort();
  return out;
}

describe('ADR-15 policies on the upstream system components', () => {
  let bare: PolicyEngine;
  let withExceptions: PolicyEngine;
  const results = new Map<string, { bare: PolicyResult[]; excepted: PolicyResult[] }>();

  beforeAll(async () => {
    bare = await loadPolicySet([POLICY_DIR], []);
    withExceptions = await loadPolicySet([POLICY_DIR], [EXCEPTION_DIR]);
    for (const { file } of COMPONENTS) {
      const objects = await readObjects([file]);
      results.set(file, { bare: bare.evaluate(objects), excepted: withExceptions.evaluate(objects) });
    }
  });

  describe.each(COMPONENTS.map((c) => [shortFile(c.file), c] as const))('%s', (_name, component) => {
    it('WITHOUT exceptions THEN exactly the reviewed findings fail, and nothing errors', () => {
      const { bare: got } = results.get(component.file)!;
      const expected = Object.fromEntries(Object.entries(component.findings).map(([k, v]) => [k, [...v.policies].sort()]));

      expect(got.filter((r) => r.result === 'error')).toEqual([]);
      expect(failuresOf(got)).toEqual(expected);
    });

    it('WITH the shipped exceptions THEN only the defaults our values fix still fail, and each other finding is skipped by its component exception', () => {
      const { excepted: got } = results.get(component.file)!;
      const fixedByValues = Object.entries(component.findings).filter(([, finding]) => !excepted(finding));

      expect(got.filter((r) => r.result === 'error')).toEqual([]);
      expect(failuresOf(got)).toEqual(Object.fromEntries(fixedByValues.map(([k, v]) => [k, [...v.policies].sort()])));
      for (const [, finding] of fixedByValues) expect(finding.fixedBy).toBeTruthy();
      for (const [resource, finding] of Object.entries(component.findings).filter(([, candidate]) => excepted(candidate))) {
        for (const policy of finding.policies) {
          const r = got.find((x) => resourceKey(x) === resource && x.policy === policy);
          expect(r?.result, `${resource} ${policy}`).toBe('skip');
          expect(r?.exceptions, `${resource} ${policy}`).toEqual([`kyverno/${exceptionFor(finding, policy)}`]);
        }
      }
    });
  });

  it('GIVEN every shipped exception THEN each policy it grants is needed by a finding above (no spare grants)', async () => {
    const needed = new Set(COMPONENTS.flatMap((c) => Object.values(c.findings).filter(excepted).flatMap((f) => f.policies.map((p) => `${exceptionFor(f, p)} ${p}`))));
    // The CIS engineer's collector exception is checked by the CIS suites.
    const { exceptions } = await loadPolicyFiles();
    const granted = exceptions.filter((e) => e.name !== 'cis-collector').flatMap((e) => e.policies.map((p) => `${e.name} ${p}`));

    expect(granted.filter((g) => !needed.has(g))).toEqual([]);
    expect([...needed].filter((n) => !granted.includes(n))).toEqual([]);
  });
});
