import { lookup } from 'node:dns/promises';
import type { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { configuredResolver } from '../../common/dns/resolver';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/** An endpoint URL the API will not call, and why, in a sentence an operator can act on. */
export class RefusedTarget extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RefusedTarget';
  }
}

/** An address an endpoint's host resolved to and that passed every check: the one to connect to. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export interface CheckedTarget {
  url: URL;
  /** Every address the host had, each checked; a request connects to these only. */
  addresses: CheckedAddress[];
}

/**
 * ipaddr.js's names of the ranges no endpoint may be in, as the refusal names them. Everything
 * ipaddr.js does not call `unicast` is refused: besides these, the documentation, benchmarking,
 * reserved and translation ranges.
 */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private address (fc00::/7)',
  linkLocal: 'a link-local address (where cloud metadata services live)',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
};

/** fd00:ec2::254, AWS's metadata service over IPv6, is unique-local already; this names it. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** What kind of address `address` is when it may not be called (`a private address (RFC 1918)`), or null when it may. */
export function refusalOf(address: string, allowLoopback: boolean): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (METADATA.has(parsed.toString())) return 'a cloud metadata address';
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && allowLoopback) return null;
  return RANGE_NAMES[range] ?? `a reserved address (${range})`;
}

/**
 * What keeps webhook deliveries from reaching inside our network (SSRF): an endpoint is https
 * (http only with WEBHOOKS_ALLOW_LOOPBACK, for tests), and every address its host is or resolves
 * to is public unicast. Checked when an endpoint is registered or changed, and again before each
 * delivery, whose request then connects to the addresses this check passed, never to a second
 * lookup's (DNS rebinding). Names resolve through DNS_RESOLVER's servers when set, as domain
 * verification does, else the system's resolver (hosts file included).
 */
@Injectable()
export class WebhookTargets {
  private readonly resolver: Resolver | undefined;
  private readonly allowLoopback: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.resolver = config.dnsResolvers ? configuredResolver(config) : undefined;
    this.allowLoopback = config.webhooks.allowLoopback;
  }

  /** The URL itself: https, a host, no credentials. Throws RefusedTarget. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new RefusedTarget('url must be an absolute URL (https://hooks.example.com/dezky)');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.allowLoopback)) throw new RefusedTarget(`url must use https, not ${url.protocol.replace(/:$/, '')}`);
    if (url.username || url.password) throw new RefusedTarget('url must not carry a user name or password; authenticate deliveries by their signature');
    if (!url.hostname) throw new RefusedTarget('url must name a host');
    return url;
  }

  /** Parses the URL, resolves its host and checks every address. Throws RefusedTarget. */
  async check(raw: string): Promise<CheckedTarget> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : await this.resolve(host);
    for (const { address } of addresses) {
      const refusal = refusalOf(address, this.allowLoopback);
      if (refusal) throw new RefusedTarget(isIP(host) ? `url's host ${host} is ${refusal}` : `url's host ${host} resolves to ${address}, ${refusal}`);
    }
    return { url, addresses };
  }

  private async resolve(host: string): Promise<CheckedAddress[]> {
    try {
      if (!this.resolver) return (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
      const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(host), this.resolver.resolve6(host)]);
      const found = [
        ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
        ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
      ];
      if (found.length) return found;
      throw v4.status === 'rejected' ? v4.reason : new Error('no addresses');
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new RefusedTarget(`url's host ${host} does not resolve${code ? ` (${code})` : ''}`);
    }
  }
}
