/**
 * CIS check → NIST SP 800-53 rev 5 controls it supports, for OSCAL findings.
 *
 * Where this comes from: the project's own mapping, made by subject. Each recommendation's intent
 * (CIS Bottlerocket Benchmark v1.0.0, CIS Kubernetes Benchmark v1.8.0 worker-node section 4, titles
 * as the Bottlerocket checkers print them) was matched to the 800-53 rev 5 control whose statement
 * covers it, cross-checked against CIS's published "CIS Critical Security Controls v8 mapping to
 * NIST SP 800-53 Rev 5" for the safeguards those recommendations cite. It is not an official CIS
 * or NIST mapping; an assessor should review it. Every check also supports CM-6 (Configuration
 * Settings), whose guidance names benchmarks such as CIS as the "common secure configurations",
 * so CM-6 is always included and checks not listed below (newer releases add some) still map.
 */
import type { BenchmarkType } from './model.js';

const BASELINE_CONTROL = 'CM-6';

const FILE_PERMISSIONS = ['AC-3', 'AC-6', 'CM-5'];

export const NIST_800_53_R5: Readonly<Record<BenchmarkType, Readonly<Record<string, readonly string[]>>>> = {
  bottlerocket: {
    '1.1.1.1': ['CM-7'], // unused filesystem modules disabled
    '1.2.1': ['SI-2', 'CM-11'], // update repositories
    '1.3.1': ['SI-7', 'SI-7(1)'], // dm-verity
    '1.4.1': ['SC-4'], // setuid core dumps
    '1.4.2': ['SI-16'], // ASLR
    '1.4.3': ['AC-6', 'CM-7'], // unprivileged eBPF
    '1.4.4': ['SI-7', 'AC-6'], // kernel lockdown
    '1.5.1': ['AC-3', 'AC-3(3)'], // SELinux configured
    '1.5.2': ['AC-3', 'AC-3(3)'], // SELinux enforcing
    '1.6': ['SI-2', 'RA-5'], // updates and patches
    '2.1.1.1': ['AU-8'], // time synchronization
    '3.1.1': ['CM-7'], // unused protocols
    '3.2.1': ['SC-7'],
    '3.2.2': ['SC-7'],
    '3.2.3': ['SC-7'],
    '3.2.4': ['AU-12', 'SI-4'], // log suspicious packets
    '3.2.5': ['SC-5'], // broadcast ICMP
    '3.2.6': ['SC-5', 'SI-4'], // bogus ICMP
    '3.2.7': ['SC-5'], // SYN cookies
    '3.3.1': ['CM-7'], // SCTP
    '3.4.1.1': ['SC-7', 'AC-4'],
    '3.4.1.2': ['SC-7', 'AC-4'],
    '3.4.1.3': ['SC-7', 'AC-4'],
    '3.4.2.1': ['SC-7', 'AC-4'],
    '3.4.2.2': ['SC-7', 'AC-4'],
    '3.4.2.3': ['SC-7', 'AC-4'],
    '4.1.1.1': ['AU-4', 'AU-9', 'AU-11'], // persistent journal
    '4.1.2': ['AU-9'], // journal permissions
  },
  kubernetes: {
    '4.1.1': FILE_PERMISSIONS,
    '4.1.2': FILE_PERMISSIONS,
    '4.1.3': FILE_PERMISSIONS,
    '4.1.4': FILE_PERMISSIONS,
    '4.1.5': FILE_PERMISSIONS,
    '4.1.6': FILE_PERMISSIONS,
    '4.1.7': [...FILE_PERMISSIONS, 'SC-12'],
    '4.1.8': [...FILE_PERMISSIONS, 'SC-12'],
    '4.1.9': FILE_PERMISSIONS,
    '4.1.10': FILE_PERMISSIONS,
    '4.2.1': ['AC-14', 'IA-2'], // anonymous auth off
    '4.2.2': ['AC-3'], // authorization mode
    '4.2.3': ['IA-5(2)', 'SC-8'], // client CA
    '4.2.4': ['CM-7', 'AC-3'], // read-only port
    '4.2.5': ['SC-10', 'AC-12'], // streaming idle timeout
    '4.2.6': ['SC-7'], // iptables util chains
    '4.2.7': ['IA-3'], // hostname override
    '4.2.8': ['AU-2', 'AU-12'], // event capture
    '4.2.9': ['SC-8', 'SC-23'], // serving certificate
    '4.2.10': ['SC-12', 'IA-5'], // certificate rotation
    '4.2.11': ['SC-12', 'IA-5'], // server certificate rotation
    '4.2.12': ['SC-8', 'SC-13'], // strong ciphers
    '4.2.13': ['SC-6', 'SC-5'], // pod PIDs limit
    '4.2.14': ['AC-6', 'CM-7'], // seccomp default
  },
};

/** NIST controls (display form, e.g. `IA-5(2)`) a check supports; CM-6 always first. */
export function nistControlsFor(type: BenchmarkType, id: string): readonly string[] {
  const specific = NIST_800_53_R5[type][id] ?? [];
  return [BASELINE_CONTROL, ...specific.filter((c) => c !== BASELINE_CONTROL)];
}

/** OSCAL catalog control id: `IA-5(2)` → `ia-5.2`. */
export function oscalControlId(control: string): string {
  return control.toLowerCase().replace(/\((\d+)\)/g, '.$1');
}
