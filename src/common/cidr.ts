/**
 * IPv4 CIDR arithmetic for the public-endpoint allow-list, shared by the config validation and
 * the ADR15-EP-1 template rule so both refuse the same lists. Checking only for `/0` is not
 * enough: `0.0.0.0/1` + `128.0.0.0/1` is the whole internet too.
 */

/**
 * Shortest prefix a public-endpoint CIDR may have. A /16 is 65,536 addresses, already more
 * than any one organisation's egress; anything broader is "the internet, roughly".
 */
export const MIN_PUBLIC_CIDR_PREFIX = 16;

const ADDRESS_SPACE = 2 ** 32;

export interface Ipv4Range {
  /** First address, as a number. */
  readonly start: number;
  /** One past the last address. */
  readonly end: number;
  readonly prefix: number;
}

/** The range of an `a.b.c.d/n` CIDR, or undefined when it is not one. */
export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(address / size) * size;
  return { start, end: start + size, prefix };
}

/** Whether the ranges together cover every IPv4 address. */
export function coversAddressSpace(ranges: readonly Ipv4Range[]): boolean {
  let covered = 0;
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    if (range.start > covered) return false;
    covered = Math.max(covered, range.end);
  }
  return covered >= ADDRESS_SPACE;
}

/**
 * What is wrong with a public-endpoint allow-list, one problem per entry (empty when it is
 * acceptable): unparseable entries, prefixes shorter than `minPrefix`, or a union that is the
 * whole address space.
 */
export function publicCidrProblems(cidrs: readonly string[], minPrefix: number = MIN_PUBLIC_CIDR_PREFIX): Array<{ readonly index?: number; readonly message: string }> {
  const problems: Array<{ index?: number; message: string }> = [];
  const ranges: Ipv4Range[] = [];
  cidrs.forEach((cidr, index) => {
    const range = parseIpv4Cidr(cidr);
    if (!range) {
      problems.push({ index, message: `${cidr} is not an IPv4 CIDR` });
      return;
    }
    ranges.push(range);
    if (range.prefix < minPrefix) {
      problems.push({ index, message: `${cidr} is broader than /${minPrefix}; the cluster API may be public only to your own networks, so list them` });
    }
  });
  if (ranges.length > 0 && coversAddressSpace(ranges)) {
    problems.push({ message: `${cidrs.join(' + ')} together cover the whole internet; list your own networks` });
  }
  return problems;
}
