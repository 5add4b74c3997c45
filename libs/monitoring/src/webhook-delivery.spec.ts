import { isInternalAddress, isInternalHostName, isRefusedHost, portOf, postJson } from './webhook-delivery';

describe('webhook address checks', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '[::1]',
    '64:ff9b::a9fe:a9fe',
    '::7f00:1',
    '2002:7f00:1::1',
    'fec0::1', // site-local
    '64:ff9b:1::a00:1', // NAT64 for local use
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '100::1', // discard
    '2001:db8::1', // documentation
    '::ffff:0:7f00:1', // IPv4-translated
    '192.0.2.10',
    '203.0.113.5',
    '255.255.255.255',
    '3fff::1', // documentation (2024)
  ])('%s is internal', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isInternalAddress(ip)).toBe(false),
  );

  it.each(['localhost', 'localhost.', 'LOCALHOST', 'db.internal', 'printer.local', 'a.localhost', '[::ffff:7f00:1]'])(
    'host %s is internal',
    (host) => expect(isInternalHostName(host)).toBe(true),
  );

  it('a public name is not judged by its name', () => expect(isInternalHostName('hooks.example.org')).toBe(false));

  it.each([
    ['169.254.169.254', 'cloud metadata'],
    ['[fe80::1]', 'link-local IPv6'],
    ['[::ffff:169.254.169.254]', 'metadata as a mapped address'],
    ['[fd00:ec2::254]', "AWS's metadata over IPv6"],
    ['100.100.100.200', "Alibaba's metadata"],
    ['metadata.google.internal', "Google's metadata name"],
    ['metadata', 'the bare metadata name'],
    ['[64:ff9b::a9fe:a9fe]', 'metadata through NAT64'],
    ['[64:ff9b::169.254.169.254]', 'metadata through NAT64, dotted'],
    ['[::a9fe:a9fe]', 'metadata as an IPv4-compatible address'],
    ['[::ffff:0:a9fe:a9fe]', 'metadata as a translated address'],
    ['[2002:a9fe:a9fe::1]', 'metadata through 6to4'],
  ])('%s (%s) is refused in every mode', (host) => {
    expect(isRefusedHost(host, 'local')).toBe(true);
    expect(isRefusedHost(host, 'public')).toBe(true);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', '10.0.0.5'])(
    '%s is refused in production, reachable in development',
    (host) => {
      expect(isRefusedHost(host, 'public')).toBe(true);
      expect(isRefusedHost(host, 'local')).toBe(false);
    },
  );

  it('a URL reaches its own port or its scheme default', () => {
    expect(portOf(new URL('https://hooks.example.org/x'))).toBe(443);
    expect(portOf(new URL('http://hooks.example.org/x'))).toBe(80);
    expect(portOf(new URL('https://hooks.example.org:8443/x'))).toBe(8443);
  });

  it('a call to a refused host or port fails before any connection', async () => {
    const options = { timeoutMs: 1000, reach: 'local' as const };
    await expect(postJson(new URL('http://169.254.169.254/latest'), {}, '{}', options)).rejects.toThrow(
      /refused address/,
    );
    await expect(
      postJson(new URL('https://hooks.example.org:8443/x'), {}, '{}', { ...options, ports: [443] }),
    ).rejects.toThrow(/port is not allowed/);
  });
});
