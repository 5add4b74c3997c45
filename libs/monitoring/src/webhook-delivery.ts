import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Addresses no webhook may reach in any mode: link-local (where cloud metadata services answer) and metadata. */
const NEVER = new BlockList();
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud's metadata service
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addAddress('fd00:ec2::254', 'ipv6'); // AWS's metadata service over IPv6

/** Addresses a production webhook may never reach either: this machine, private and special-purpose networks. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 3], // multicast, reserved and broadcast
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses, internal ones too
  ['64:ff9b:1::', 48], // NAT64 for local use
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: tunnels to IPv4 addresses
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (2024)
  ['2002::', 16], // 6to4: reaches IPv4 addresses
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still routed by some networks)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Names of metadata services, refused in every mode whatever they resolve to. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

/** An IPv6 address carrying an IPv4 one (::ffff:7f00:1, ::ffff:127.0.0.1) is judged as that IPv4 address. */
function mappedIpv4(ip: string): string | null {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(ip);
  if (!match) return null;
  const rest = match[1];
  if (isIP(rest) === 4) return rest;
  const groups = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!groups) return null;
  const [hi, lo] = [parseInt(groups[1], 16), parseInt(groups[2], 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Which addresses a webhook may reach: public ones only (production), or any but link-local and metadata. */
export type WebhookReach = 'public' | 'local';

function check(list: BlockList, address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 4) return list.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = mappedIpv4(ip);
    return v4 ? list.check(v4, 'ipv4') : list.check(ip, 'ipv6');
  }
  return false;
}

/** An address a production webhook may not reach. */
export function isInternalAddress(address: string): boolean {
  return check(INTERNAL, address);
}

/** An address the webhook may not reach with this reach. */
export function isRefusedAddress(address: string, reach: WebhookReach): boolean {
  const carried = carriedIpv4(address.replace(/^\[|\]$/g, ''));
  return (
    check(NEVER, address) ||
    (carried !== null && NEVER.check(carried, 'ipv4')) ||
    (reach === 'public' && check(INTERNAL, address))
  );
}

/** An IPv6 address as its eight 16-bit groups (a trailing dotted IPv4 part counted as two); null if not IPv6. */
function groupsOf(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

/**
 * The IPv4 address an IPv6 one carries, where one does: IPv4-compatible (::a.b.c.d), mapped (::ffff:a.b.c.d),
 * translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16). In development, where
 * those ranges are reachable, the metadata address inside them is still refused.
 */
function carriedIpv4(ip: string): string | null {
  const g = groupsOf(ip);
  if (!g) return null;
  const quad = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return quad(g[6], g[7]);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return quad(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b) return quad(g[6], g[7]);
  if (g[0] === 0x2002) return quad(g[1], g[2]);
  return null;
}

/** Names that can only mean this machine or a private network, whatever they resolve to. */
export function isInternalHostName(host: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  return (
    h === 'localhost' ||
    ['.localhost', '.internal', '.local', '.lan', '.home.arpa'].some((suffix) => h.endsWith(suffix)) ||
    isInternalAddress(h)
  );
}

/** A host (name or address literal) the webhook may not reach with this reach, before any name is resolved. */
export function isRefusedHost(host: string, reach: WebhookReach): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  return METADATA_NAMES.has(h) || isRefusedAddress(h, reach) || (reach === 'public' && isInternalHostName(h));
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses to connect to a refused address, checked at connect time (so DNS rebinding fails). */
function guardedLookup(reach: WebhookReach) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.length === 0 || addresses.some((a) => isRefusedAddress(a.address, reach)))
        return callback(
          Object.assign(new Error('webhook host resolves to a refused address'), { code: 'EINTERNAL' }),
          '',
        );
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The port a URL reaches (its scheme's default when it names none). */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * One POST, its status code back. No redirects are followed (none are asked for). The host, and every address it
 * resolves to when connecting, must be within `reach`; with `ports`, the port must be one of them.
 */
export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  o: { timeoutMs: number; reach: WebhookReach; ports?: readonly number[] },
): Promise<number> {
  if (isRefusedHost(url.hostname, o.reach)) return Promise.reject(new Error('webhook host is a refused address'));
  if (o.ports && !o.ports.includes(portOf(url))) return Promise.reject(new Error('webhook port is not allowed'));
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // the whole call, however slowly a receiver trickles its answer
        signal: AbortSignal.timeout(o.timeoutMs),
        lookup: guardedLookup(o.reach),
      },
      (response) => {
        // the answer's body is not read; a timeout cutting it off later is no error
        response.on('error', () => undefined).resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
