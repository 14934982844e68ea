import { randomBytes } from 'node:crypto';
import { DOMAIN_VERIFICATION_PREFIX, type DomainStatus, type DomainVerificationMethod, type TenantDomain } from '@dezky/contracts';
import { displayDomainName } from './domain-name';

/** A tenant's domain as stored: the public TenantDomain is derived from it. */
export interface DomainEntry {
  name: string;
  status: DomainStatus;
  token: string;
  addedAt: Date;
  verifiedAt?: Date;
  verifiedBy?: DomainVerificationMethod;
}

/**
 * 192 random bits, base64url: one per claim, so a record published for one tenant's claim never
 * verifies another tenant's claim of the same domain.
 */
export function newVerificationToken(): string {
  return randomBytes(24).toString('base64url');
}

export function pendingEntry(name: string, at = new Date()): DomainEntry {
  return { name, status: 'pending', token: newVerificationToken(), addedAt: at };
}

export function verificationRecordValue(token: string): string {
  return `${DOMAIN_VERIFICATION_PREFIX}${token}`;
}

export function verifiedNames(entries: readonly DomainEntry[]): string[] {
  return entries.filter((e) => e.status === 'verified').map((e) => e.name);
}

export function publicDomain(entry: DomainEntry): TenantDomain {
  return {
    name: entry.name,
    displayName: displayDomainName(entry.name),
    status: entry.status,
    verification: entry.status === 'pending' ? { type: 'TXT', name: entry.name, value: verificationRecordValue(entry.token) } : null,
    addedAt: new Date(entry.addedAt).toISOString(),
    verifiedAt: entry.verifiedAt ? new Date(entry.verifiedAt).toISOString() : null,
    verifiedBy: entry.verifiedBy ?? null,
  };
}

/**
 * The list an operator sets: the names in the given order, each keeping its entry (status,
 * token) when the tenant already has it, new ones pending.
 */
export function replaceDomainList(entries: readonly DomainEntry[], names: readonly string[], at = new Date()): DomainEntry[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return names.map((name) => byName.get(name) ?? pendingEntry(name, at));
}
