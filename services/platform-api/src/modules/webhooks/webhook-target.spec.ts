import { refusalOf } from './webhook-target';

describe('refusalOf', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private address (RFC 1918)'],
    ['172.16.0.1', 'a private address (RFC 1918)'],
    ['192.168.1.1', 'a private address (RFC 1918)'],
    ['fd12:3456::1', 'a private address (fc00::/7)'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.10.1', 'a link-local address (where cloud metadata services live)'],
    ['fe80::1', 'a link-local address (where cloud metadata services live)'],
    ['100.64.0.1', 'a carrier-grade NAT address (100.64.0.0/10)'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'the unspecified address'],
    ['::', 'the unspecified address'],
    ['::ffff:10.0.0.1', 'a private address (RFC 1918)'],
    ['::ffff:127.0.0.1', 'a loopback address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusalOf(address, false)).toBe(reason);
  });

  it('accepts public unicast addresses, and loopback only when allowed', () => {
    expect(refusalOf('93.184.215.14', false)).toBeNull();
    expect(refusalOf('2606:2800:21f:cb07:6820:80da:af6b:8b2c', false)).toBeNull();
    expect(refusalOf('127.0.0.1', true)).toBeNull();
    expect(refusalOf('10.0.0.1', true)).toBe('a private address (RFC 1918)');
  });

  it('refuses what it cannot read as an address', () => {
    expect(refusalOf('fe80::1%eth0', false)).toBe('a link-local address (where cloud metadata services live)');
    expect(refusalOf('not-an-address', false)).toBe('not an IP address');
  });
});
