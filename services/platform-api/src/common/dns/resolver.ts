import { Resolver } from 'node:dns/promises';
import type { AppConfig } from '../../config/app-config';

/**
 * The DNS resolver of every lookup the API makes itself (domain verification records, webhook
 * endpoints' addresses): DNS_RESOLVER's servers, or the system's when unset. A few seconds at
 * most: a caller is waiting on the answer.
 */
export function configuredResolver(config: AppConfig): Resolver {
  const resolver = new Resolver({ timeout: 1500, tries: 2 });
  if (config.dnsResolvers) resolver.setServers(config.dnsResolvers);
  return resolver;
}
