import type { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { configuredResolver } from '../../../common/dns/resolver';
import { DomainError, ServiceUnavailableError, UnprocessableEntityError } from '../../../common/errors/domain-errors';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';

/** The resolver gave no answer at all: ours is unreachable or overloaded, not the customer's DNS. */
const RESOLVER_UNAVAILABLE = new Set(['ETIMEOUT', 'ECONNREFUSED', 'EREFUSED', 'ECANCELLED']);

/**
 * Looks for a domain's verification record in DNS: a TXT record on the domain itself (not on a
 * `_dezky-verification.` name) whose text, its strings joined, is exactly the expected value.
 * The resolver is the system's, or DNS_RESOLVER's servers.
 */
@Injectable()
export class DomainDns {
  private readonly resolver: Resolver;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.resolver = configuredResolver(config);
  }

  /**
   * Resolves when `name` carries a TXT record `value`. Otherwise throws: 422 naming the record when
   * it is not there (or the domain does not exist, or its DNS fails), 503 when our resolver does
   * not answer.
   */
  async requireTxtRecord(name: string, value: string): Promise<void> {
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(name);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unknown error';
      if (code === 'ENODATA') throw missing(name, value, 0);
      if (code === 'ENOTFOUND') {
        throw new UnprocessableEntityError(`${name} does not exist in DNS (NXDOMAIN): register it, or check its spelling, then add the TXT record "${value}"`);
      }
      if (RESOLVER_UNAVAILABLE.has(code)) throw new ServiceUnavailableError(`DNS could not be asked about ${name} (${code}); try again shortly`);
      throw new UnprocessableEntityError(`The DNS lookup of ${name} failed (${code.replace(/^E/, '')}): check the domain's name servers, then try again`);
    }
    // A TXT record longer than 255 characters comes in several strings; they form one text.
    const texts = records.map((strings) => strings.join(''));
    if (!texts.includes(value)) throw missing(name, value, texts.length);
  }
}

function missing(name: string, value: string, others: number): DomainError {
  const seen = others ? ` (it has ${others} other TXT ${others === 1 ? 'record' : 'records'})` : '';
  return new UnprocessableEntityError(
    `No TXT record "${value}" was found on ${name}${seen}. Add it at the domain's DNS provider and check again; a new record can take a while to appear.`,
  );
}
