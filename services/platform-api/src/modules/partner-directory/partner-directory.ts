import { Injectable } from '@nestjs/common';
import type { Partner } from '@dezky/contracts';
import { BadRequestError, ConflictError } from '../../common/errors/domain-errors';
import { PartnersRepository } from './partners.repository';

/**
 * The partners as other features read them: lookups by id and slug, and the one rule on
 * attaching a tenant to a partner. Partner writes stay in PartnersService.
 */
@Injectable()
export class PartnerDirectory {
  constructor(private readonly partners: PartnersRepository) {}

  /** The partner a tenant may be attached to: existing (else 400) and not terminated (else 409). */
  async requireAttachable(id: string): Promise<Partner> {
    const partner = await this.partners.findById(id);
    if (!partner) throw new BadRequestError(`partnerId ${id} names no partner`);
    if (partner.status === 'terminated') throw new ConflictError(`Partner ${partner.slug} is terminated; tenants cannot be attached to it`);
    return partner;
  }

  findByIds(ids: string[]): Promise<Partner[]> {
    return ids.length ? this.partners.findByIds(ids) : Promise.resolve([]);
  }

  findBySlugs(slugs: string[]): Promise<Partner[]> {
    return slugs.length ? this.partners.findBySlugs(slugs) : Promise.resolve([]);
  }
}
