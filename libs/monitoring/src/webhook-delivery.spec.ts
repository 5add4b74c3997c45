import { isInternalAddress, isInternalHostName } from './webhook-delivery';

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
  ])('%s is internal', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) =>
    expect(isInternalAddress(ip)).toBe(false),
  );

  it.each(['localhost', 'localhost.', 'LOCALHOST', 'db.internal', 'printer.local', 'a.localhost', '[::ffff:7f00:1]'])(
    'host %s is internal',
    (host) => expect(isInternalHostName(host)).toBe(true),
  );

  it('a public name is not judged by its name', () => expect(isInternalHostName('hooks.example.org')).toBe(false));
});
