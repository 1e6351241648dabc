import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy (TRUST_PROXY)', () => {
  it('takes addresses, CIDRs of both families and the range names, trimmed', () => {
    expect(parseTrustProxy(' 10.0.0.5, 10.0.1.0/24,fd00::/8 ,::1,loopback,uniquelocal')).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
      'fd00::/8',
      '::1',
      'loopback',
      'uniquelocal',
    ]);
  });

  it.each([
    ['a host name', 'proxy.example.test'],
    ['an IPv4 prefix past 32', '10.0.0.0/33'],
    ['an IPv6 prefix past 128', 'fd00::/129'],
    ['two prefixes', '10.0.0.0/8/8'],
    ['an empty entry', '10.0.0.5,'],
    ['a prefix that is not a number', '10.0.0.0/x'],
  ])('refuses %s, naming the entry', (_case, text) => {
    expect(() => parseTrustProxy(text)).toThrow(/^TRUST_PROXY entry ".*" must be an IP address/);
  });
});
