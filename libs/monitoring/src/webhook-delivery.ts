import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Addresses a production webhook may never reach: this machine, private networks, link-local (cloud metadata). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses, internal ones too
  ['2002::', 16], // 6to4: likewise
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

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

export function isInternalAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 4) return INTERNAL.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = mappedIpv4(ip);
    return v4 ? INTERNAL.check(v4, 'ipv4') : INTERNAL.check(ip, 'ipv6');
  }
  return false;
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

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses to connect to an internal address, checked at connect time (so DNS rebinding fails). */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    if (addresses.length === 0 || addresses.some((a) => isInternalAddress(a.address)))
      return callback(
        Object.assign(new Error('webhook host resolves to an internal address'), { code: 'EINTERNAL' }),
        '',
      );
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * One POST, its status code back. No redirects are followed (none are asked for). With `publicOnly`, the host,
 * and every address it resolves to when connecting, must be public.
 */
export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  o: { timeoutMs: number; publicOnly: boolean },
): Promise<number> {
  if (o.publicOnly && isInternalHostName(url.hostname))
    return Promise.reject(new Error('webhook host is an internal address'));
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // the whole call, however slowly a receiver trickles its answer
        signal: AbortSignal.timeout(o.timeoutMs),
        lookup: o.publicOnly ? publicOnlyLookup : undefined,
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
