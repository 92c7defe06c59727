/**
 * Checks that fail on Bottlerocket defaults which only user data could change. ADR-15 keeps the
 * Amazon-managed seal (no user data), so on releases whose Kubernetes benchmark includes these
 * checks they FAIL by design. The failure is still reported and still fails the run; the note
 * tells the auditor why it is accepted rather than fixed.
 */
import type { BenchmarkType } from './model.js';

const SEAL_NOTE = 'Seal vs CIS trade-off: this setting is a Bottlerocket default that only user data could change, and ADR-15 keeps the seal (no user data). Accept it with a written risk decision or break the seal; the failure stays on record.';

const SEAL_TRADE_OFFS: Readonly<Record<BenchmarkType, Readonly<Record<string, string>>>> = {
  bottlerocket: {},
  kubernetes: {
    '4.2.13': `Pod PIDs limit (kubelet podPidsLimit). ${SEAL_NOTE}`,
    '4.2.14': `Seccomp RuntimeDefault as the kubelet default (seccompDefault). ${SEAL_NOTE}`,
  },
};

export function sealTradeOff(type: BenchmarkType, id: string): string | undefined {
  return SEAL_TRADE_OFFS[type][id];
}
