/**
 * The Kubernetes CEL libraries Kyverno enables (k8s.io/apiserver/pkg/cel/library: regex, URLs,
 * quantity, IP, CIDR, format, semver) and the cel-go extensions it adds (ext.Regex, ext.Encoders,
 * ext.Math, ext.Strings v2, ext.Lists v3), registered in cel-js through `registerFunction`.
 * Regular expressions are RE2's (re2js, a port of RE2): linear time, RE2 syntax (`(?i)`, `\z`,
 * `\pL`, `[[:alpha:]]`, `\Q…\E`), as cel-go's are.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { isIP } from 'node:net';
import { RE2JS } from 're2js';
import { chargeCost } from './cost.js';

// ---------------------------------------------------------------- regex (RE2)

const compiled = new Map<string, RE2JS>();
/** Policies reuse a handful of patterns: each is compiled once. An invalid one is an evaluation error, as in cel-go. */
export function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (error) {
      throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
    compiled.set(pattern, re);
  }
  return re;
}

/** cel-go's `matches`: RE2 partial match, cost linear in the input. */
export function re2Matches(s: string, pattern: string): boolean {
  chargeCost(Math.ceil(s.length / 10));
  return re2(pattern).matcher(s).find();
}

function findAll(s: string, pattern: string, limit: number): string[] {
  chargeCost(Math.ceil(s.length / 10));
  const out: string[] = [];
  if (limit === 0) return out;
  const matcher = re2(pattern).matcher(s);
  while ((limit < 0 || out.length < limit) && matcher.find()) out.push(matcher.group() ?? '');
  return out;
}

/** cel-go ext.Regex `regex.replace`: `\1`… in the replacement are groups. */
function regexReplace(target: string, pattern: string, replacement: string, count: number): string {
  chargeCost(Math.ceil(target.length / 10));
  if (count === 0) return target;
  const matcher = re2(pattern).matcher(target);
  let out = '';
  let last = 0;
  let n = 0;
  while ((count < 0 || n < count) && matcher.find()) {
    out += target.slice(last, matcher.start());
    out += replacement.replace(/\\(\d)|\\\\/g, (whole, group: string | undefined) => (group === undefined ? '\\' : (matcher.group(Number(group)) ?? '')));
    last = matcher.end();
    n++;
  }
  return out + target.slice(last);
}

// ---------------------------------------------------------------- quantity

const BINARY: Readonly<Record<string, bigint>> = { Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** A Kubernetes resource.Quantity, held exactly as numerator/denominator. */
export class Quantity {
  constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
    readonly text: string,
  ) {}

  static parse(text: string): Quantity | undefined {
    const m = QUANTITY.exec(text);
    if (!m) return undefined;
    const [, sign, number, suffix = ''] = m;
    const [whole, fraction = ''] = number!.split('.');
    let numerator = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
    let denominator = 10n ** BigInt(fraction.length);
    if (suffix in BINARY) numerator *= BINARY[suffix]!;
    else {
      const exponent = suffix in DECIMAL ? DECIMAL[suffix]! : Number(suffix.slice(1));
      if (Math.abs(exponent) > 1000) return undefined;
      if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
      else denominator *= 10n ** BigInt(-exponent);
    }
    return new Quantity(numerator, denominator, text);
  }

  compare(other: Quantity): number {
    const a = this.numerator * other.denominator;
    const b = other.numerator * this.denominator;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  plus(other: Quantity, sign: 1n | -1n): Quantity {
    const numerator = this.numerator * other.denominator + sign * other.numerator * this.denominator;
    const denominator = this.denominator * other.denominator;
    return new Quantity(numerator, denominator, `${Number(numerator) / Number(denominator)}`);
  }
}

const quantityOf = (value: Quantity | bigint): Quantity => (typeof value === 'bigint' ? new Quantity(value, 1n, String(value)) : value);

// ---------------------------------------------------------------- IP and CIDR

/** An IP address as bytes (4 or 16), as net/netip holds it. */
export class IPAddress {
  constructor(readonly bytes: readonly number[]) {}

  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }

  toString(): string {
    if (this.family === 4) return this.bytes.join('.');
    const groups = Array.from({ length: 8 }, (_, i) => ((this.bytes[2 * i]! << 8) | this.bytes[2 * i + 1]!).toString(16));
    // Compress the longest run of zero groups, as RFC 5952 and Go do.
    let best = [-1, 0];
    for (let i = 0; i < 8; ) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > best[1]! && j - i > 1) best = [i, j - i];
      i = j;
    }
    if (best[0]! < 0) return groups.join(':');
    return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0]! + best[1]!).join(':')}`;
  }
}

/** Kubernetes' `ip()`: no zones, no IPv4-mapped IPv6, no leading zeros in IPv4. */
export function parseIP(text: string): IPAddress | undefined {
  if (text.includes('%')) return undefined;
  const family = isIP(text);
  if (family === 4) {
    const parts = text.split('.');
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return new IPAddress(parts.map(Number));
  }
  if (family !== 6) return undefined;
  let head = text;
  let v4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const ip4 = parseIP(text.slice(lastColon + 1));
    if (!ip4) return undefined;
    v4 = [...ip4.bytes];
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const l = left ? left.split(':') : [];
  const r = right === undefined ? [] : right ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  const bytes = groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (v4.length) bytes.splice(12, 4, ...v4);
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return undefined;
  return new IPAddress(bytes);
}

const bitsOf = (ip: IPAddress) => ip.bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

export class CIDR {
  constructor(
    readonly address: IPAddress,
    readonly prefix: number,
  ) {}

  private mask(): bigint {
    const width = BigInt(this.address.bytes.length * 8);
    return ((1n << width) - 1n) ^ ((1n << (width - BigInt(this.prefix))) - 1n);
  }

  contains(ip: IPAddress): boolean {
    return ip.family === this.address.family && (bitsOf(ip) & this.mask()) === (bitsOf(this.address) & this.mask());
  }

  masked(): CIDR {
    const bits = bitsOf(this.address) & this.mask();
    const bytes = this.address.bytes.map((_, i, all) => Number((bits >> BigInt((all.length - 1 - i) * 8)) & 0xffn));
    return new CIDR(new IPAddress(bytes), this.prefix);
  }

  toString(): string {
    return `${this.address.toString()}/${this.prefix}`;
  }
}

export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^(0|[1-9][0-9]*)$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > address.bytes.length * 8) return undefined;
  return new CIDR(address, prefix);
}

const requireIP = (text: string) => parseIP(text) ?? fail(`IP Address '${text}' parse error during conversion from string`);
const requireCIDR = (text: string) => parseCIDR(text) ?? fail(`network address parse error during conversion from string: ${text}`);

// ---------------------------------------------------------------- URL

export class KubernetesURL {
  constructor(readonly url: URL, readonly text: string) {}
}

/** Go's url.ParseRequestURI: an absolute URI or an absolute path. */
function parseURL(text: string): KubernetesURL | undefined {
  if (text.startsWith('/')) {
    try {
      return new KubernetesURL(new URL(text, 'http://relative.invalid'), text);
    } catch {
      return undefined;
    }
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) return undefined;
  try {
    return new KubernetesURL(new URL(text), text);
  } catch {
    return undefined;
  }
}

const hostOf = (u: KubernetesURL) => (u.text.startsWith('/') ? '' : u.url.host);

// ---------------------------------------------------------------- semver

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
  ) {}

  static parse(text: string, normalize = false): Semver | undefined {
    let t = text;
    if (normalize) {
      t = t.replace(/^v/, '');
      const [core, ...rest] = t.split(/(?=[-+])/);
      const parts = core!.split('.');
      if (parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
      while (parts.length < 3) parts.push('0');
      t = [parts.map((p) => String(Number(p))).join('.'), ...rest].join('');
    }
    const m = SEMVER.exec(t);
    return m ? new Semver(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!), m[4] ? m[4].split('.') : []) : undefined;
  }

  compare(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    if (this.pre.length === 0 || o.pre.length === 0) return o.pre.length - this.pre.length === 0 ? 0 : this.pre.length === 0 ? 1 : -1;
    for (let i = 0; i < Math.max(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i];
      const b = o.pre[i];
      if (a === undefined) return -1;
      if (b === undefined) return 1;
      if (a === b) continue;
      const an = /^\d+$/.test(a);
      const bn = /^\d+$/.test(b);
      if (an && bn) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return 0;
  }
}

// ---------------------------------------------------------------- format

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

type Validator = (s: string) => string[];
const lengthAndPattern = (max: number, re: RegExp, what: string): Validator => (s) => [
  ...(s.length > max ? [`must be no more than ${max} characters`] : []),
  ...(re.test(s) ? [] : [what]),
];
const prefixOf = (v: Validator): Validator => (s) => v(s.endsWith('-') ? `${s}a` : s);
const dns1123Label = lengthAndPattern(63, DNS1123_LABEL, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
const dns1123Subdomain = lengthAndPattern(253, DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
const dns1035Label = lengthAndPattern(63, DNS1035_LABEL, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");

/** The named formats of the Kubernetes format library and their validators (k8s.io/apimachinery validation). */
export const FORMATS: Readonly<Record<string, Validator>> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  dns1123LabelPrefix: prefixOf(dns1123Label),
  dns1123SubdomainPrefix: prefixOf(dns1123Subdomain),
  dns1035LabelPrefix: prefixOf(dns1035Label),
  qualifiedName: (s) => {
    const parts = s.split('/');
    const name = parts.at(-1)!;
    const errors: string[] = [];
    if (parts.length > 2) errors.push("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'");
    if (parts.length === 2) errors.push(...dns1123Subdomain(parts[0]!).map((e) => `prefix part ${e}`));
    if (name.length === 0) errors.push('name part must be non-empty');
    else if (name.length > 63) errors.push('name part must be no more than 63 characters');
    if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) errors.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    return errors;
  },
  labelValue: lengthAndPattern(63, LABEL_VALUE, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"),
  uri: (s) => (parseURL(s) ? [] : ['invalid URI']),
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) => (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid datetime']),
};

export class NamedFormat {
  constructor(readonly name: string) {}
}

// ---------------------------------------------------------------- helpers

function fail(message: string): never {
  throw new Error(message);
}

class RegexNamespace {}
class FormatNamespace {}
class Base64Namespace {}
class MathNamespace {}
class StringsNamespace {}
class ListsNamespace {}

type Num = bigint | number;
const cmp = (a: Num, b: Num) => (a < b ? -1 : a > b ? 1 : 0);
const extreme = (values: readonly Num[], sign: 1 | -1): Num => {
  if (values.length === 0) fail('math.@max(list) argument must not be empty');
  return values.reduce((best, v) => (cmp(v, best) * sign > 0 ? v : best));
};

/** cel-go's `string.format` verbs that policies use: %s %d %f %e %x %X %o %b %%. */
function formatString(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%(\.\d+)?([sdfeExXob%])/g, (_, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (arg === undefined) fail(`index ${i - 1} out of range`);
    const digits = precision ? Number(precision.slice(1)) : 6;
    switch (verb) {
      case 's':
        return typeof arg === 'string' ? arg : JSON.stringify(arg, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      case 'd':
        return String(arg);
      case 'f':
        return Number(arg).toFixed(digits);
      case 'e':
      case 'E':
        return Number(arg).toExponential(digits);
      default: {
        const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
        const text = typeof arg === 'string' ? [...Buffer.from(arg)].map((b) => b.toString(16).padStart(2, '0')).join('') : BigInt(arg as bigint).toString(radix);
        return verb === 'X' ? text.toUpperCase() : text;
      }
    }
  });
}

/** Everything above, registered in `env`. */
export function registerKubernetesLibraries(env: Environment): Environment {
  const optional = (value: unknown) => (value === undefined ? Optional.none() : Optional.of(value));
  env
    // Kubernetes regex library and cel-go ext.Regex, both on RE2.
    .registerFunction('string.find(string): string', (s: string, p: string) => findAll(s, p, 1)[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, Number(n)))
    .registerFunction('string.re2Matches(string): bool', re2Matches)
    .registerFunction('re2Matches(string, string): bool', re2Matches)
    .registerType('RegexNamespace', RegexNamespace)
    .registerConstant('regex', 'RegexNamespace', new RegexNamespace())
    .registerFunction('RegexNamespace.replace(string, string, string): string', (_: unknown, t: string, p: string, r: string) => regexReplace(t, p, r, -1))
    .registerFunction('RegexNamespace.replace(string, string, string, int): string', (_: unknown, t: string, p: string, r: string, n: bigint) => regexReplace(t, p, r, Number(n)))
    .registerFunction('RegexNamespace.extract(string, string): optional<string>', (_: unknown, t: string, p: string) => {
      const m = re2(p).matcher(t);
      return m.find() ? Optional.of(m.groupCount() > 0 ? (m.group(1) ?? '') : (m.group() ?? '')) : Optional.none();
    })
    .registerFunction('RegexNamespace.extractAll(string, string): list<string>', (_: unknown, t: string, p: string) => {
      const m = re2(p).matcher(t);
      const out: string[] = [];
      while (m.find()) out.push(m.groupCount() > 0 ? (m.group(1) ?? '') : (m.group() ?? ''));
      return out;
    })
    // Quantity.
    .registerType('kubernetes.Quantity', Quantity)
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.parse(s) !== undefined)
    .registerFunction('quantity(string): kubernetes.Quantity', (s: string) => Quantity.parse(s) ?? fail(`quantities must match the regular expression: ${s}`))
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.numerator % q.denominator === 0n)
    .registerFunction('kubernetes.Quantity.asInteger(): int', (q: Quantity) => {
      if (q.numerator % q.denominator !== 0n) fail('cannot convert value to integer');
      const v = q.numerator / q.denominator;
      if (v >= 2n ** 63n || v < -(2n ** 63n)) fail('cannot convert value to integer');
      return v;
    })
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => Number(q.numerator) / Number(q.denominator))
    .registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => BigInt(q.numerator > 0n ? 1 : q.numerator < 0n ? -1 : 0))
    .registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) > 0)
    .registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) < 0)
    .registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compare(b)))
    .registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(b, 1n))
    .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(quantityOf(b), 1n))
    .registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(b, -1n))
    .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(quantityOf(b), -1n))
    // IP and CIDR.
    .registerType('net.IP', IPAddress)
    .registerType('net.CIDR', CIDR)
    .registerFunction('isIP(string): bool', (s: string) => parseIP(s) !== undefined)
    .registerFunction('ip(string): net.IP', requireIP)
    .registerFunction('string(net.IP): string', (ip: IPAddress) => ip.toString())
    .registerFunction('net.IP.family(): int', (ip: IPAddress) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: IPAddress) => ip.bytes.every((b) => b === 0))
    .registerFunction('net.IP.isLoopback(): bool', (ip: IPAddress) => (ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1))
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: IPAddress) => (ip.family === 4 ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1]! & 0x0f) === 2))
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: IPAddress) => (ip.family === 4 ? ip.bytes[0] === 169 && ip.bytes[1] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80))
    .registerFunction('net.IP.isGlobalUnicast(): bool', (ip: IPAddress) => {
      const [a, b] = ip.bytes;
      if (ip.family === 4) return !(a === 0 || a === 127 || (a === 169 && b === 254) || a! >= 224);
      return !(ip.bytes.every((x) => x === 0) || (ip.bytes.slice(0, 15).every((x) => x === 0) && ip.bytes[15] === 1) || a === 0xff || (a === 0xfe && (b! & 0xc0) === 0x80));
    })
    .registerFunction('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined)
    .registerFunction('cidr(string): net.CIDR', requireCIDR)
    .registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString())
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDR, ip: IPAddress) => c.contains(ip))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, ip: string) => c.contains(requireIP(ip)))
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDR, o: CIDR) => o.prefix >= c.prefix && c.contains(o.address))
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => {
      const o = requireCIDR(s);
      return o.prefix >= c.prefix && c.contains(o.address);
    })
    .registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.address)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked())
    .registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix))
    // URL.
    .registerType('net.URL', KubernetesURL)
    .registerFunction('isURL(string): bool', (s: string) => parseURL(s) !== undefined)
    .registerFunction('url(string): net.URL', (s: string) => parseURL(s) ?? fail(`URL parse error during conversion from string: ${s}`))
    .registerFunction('net.URL.getScheme(): string', (u: KubernetesURL) => (u.text.startsWith('/') ? '' : u.url.protocol.replace(/:$/, '')))
    .registerFunction('net.URL.getHost(): string', hostOf)
    .registerFunction('net.URL.getHostname(): string', (u: KubernetesURL) => (u.text.startsWith('/') ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1')))
    .registerFunction('net.URL.getPort(): string', (u: KubernetesURL) => (u.text.startsWith('/') ? '' : u.url.port))
    .registerFunction('net.URL.getEscapedPath(): string', (u: KubernetesURL) => u.url.pathname)
    .registerFunction('net.URL.getQuery(): map<string, list<string>>', (u: KubernetesURL) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of u.url.searchParams) (out[k] ??= []).push(v);
      return out;
    })
    // semver.
    .registerType('kubernetes.Semver', Semver)
    .registerFunction('isSemver(string): bool', (s: string) => Semver.parse(s) !== undefined)
    .registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => Semver.parse(s, n) !== undefined)
    .registerFunction('semver(string): kubernetes.Semver', (s: string) => Semver.parse(s) ?? fail(`could not parse semver: ${s}`))
    .registerFunction('semver(string, bool): kubernetes.Semver', (s: string, n: boolean) => Semver.parse(s, n) ?? fail(`could not parse semver: ${s}`))
    .registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major)
    .registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor)
    .registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch)
    .registerFunction('kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0)
    .registerFunction('kubernetes.Semver.isLessThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0)
    .registerFunction('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) => BigInt(a.compare(b)))
    // format.
    .registerType('kubernetes.NamedFormat', NamedFormat)
    .registerType('FormatNamespace', FormatNamespace)
    .registerConstant('format', 'FormatNamespace', new FormatNamespace())
    .registerFunction('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: unknown, name: string) => optional(name in FORMATS ? new NamedFormat(name) : undefined))
    .registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: NamedFormat, s: string) => {
      const errors = FORMATS[f.name]!(s);
      return errors.length ? Optional.of(errors) : Optional.none();
    });
  for (const name of Object.keys(FORMATS)) env.registerFunction(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => new NamedFormat(name));
  return (
    env
      // cel-go ext.Encoders.
      .registerType('Base64Namespace', Base64Namespace)
      .registerConstant('base64', 'Base64Namespace', new Base64Namespace())
      .registerFunction('Base64Namespace.encode(bytes): string', (_: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'))
      .registerFunction('Base64Namespace.decode(string): bytes', (_: unknown, s: string) => new Uint8Array(Buffer.from(s, 'base64')))
      // cel-go ext.Math (the parts policies use).
      .registerType('MathNamespace', MathNamespace)
      .registerConstant('math', 'MathNamespace', new MathNamespace())
      .registerFunction('MathNamespace.greatest(list): dyn', (_: unknown, l: Num[]) => extreme(l, 1))
      .registerFunction('MathNamespace.least(list): dyn', (_: unknown, l: Num[]) => extreme(l, -1))
      .registerFunction('MathNamespace.greatest(dyn, dyn): dyn', (_: unknown, a: Num, b: Num) => extreme([a, b], 1))
      .registerFunction('MathNamespace.least(dyn, dyn): dyn', (_: unknown, a: Num, b: Num) => extreme([a, b], -1))
      .registerFunction('MathNamespace.greatest(dyn, dyn, dyn): dyn', (_: unknown, a: Num, b: Num, c: Num) => extreme([a, b, c], 1))
      .registerFunction('MathNamespace.least(dyn, dyn, dyn): dyn', (_: unknown, a: Num, b: Num, c: Num) => extreme([a, b, c], -1))
      .registerFunction('MathNamespace.abs(int): int', (_: unknown, x: bigint) => (x < 0n ? -x : x))
      .registerFunction('MathNamespace.abs(double): double', (_: unknown, x: number) => Math.abs(x))
      .registerFunction('MathNamespace.ceil(double): double', (_: unknown, x: number) => Math.ceil(x))
      .registerFunction('MathNamespace.floor(double): double', (_: unknown, x: number) => Math.floor(x))
      .registerFunction('MathNamespace.round(double): double', (_: unknown, x: number) => Math.sign(x) * Math.round(Math.abs(x)))
      .registerFunction('MathNamespace.trunc(double): double', (_: unknown, x: number) => Math.trunc(x))
      .registerFunction('MathNamespace.isNaN(double): bool', (_: unknown, x: number) => Number.isNaN(x))
      .registerFunction('MathNamespace.isInf(double): bool', (_: unknown, x: number) => x === Infinity || x === -Infinity)
      .registerFunction('MathNamespace.isFinite(double): bool', (_: unknown, x: number) => Number.isFinite(x))
      // cel-go ext.Strings v2 and ext.Lists v3 beyond what cel-js and cel-env.ts have.
      .registerType('StringsNamespace', StringsNamespace)
      .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
      .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => JSON.stringify(s))
      .registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args))
      .registerType('ListsNamespace', ListsNamespace)
      .registerConstant('lists', 'ListsNamespace', new ListsNamespace())
      .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => {
        if (n > 1_000_000n) fail('lists.range: size too large');
        chargeCost(Number(n));
        return Array.from({ length: Number(n) }, (_x, i) => BigInt(i));
      })
      .registerFunction('list.first(): optional<dyn>', (l: unknown[]) => optional(l[0]))
      .registerFunction('list.last(): optional<dyn>', (l: unknown[]) => optional(l.at(-1)))
      .registerFunction('list.sort(): list', (l: unknown[]) =>
        [...l].sort((a, b) => {
          if (typeof a !== typeof b && !(typeof a !== 'string' && typeof b !== 'string')) fail('list.sort(): mixed types');
          return a! < b! ? -1 : a! > b! ? 1 : 0;
        }),
      )
  );
}
