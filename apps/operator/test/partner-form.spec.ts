// The operator app's partner form rules (apps/operator/app/utils/partner-form.ts): what a form
// shows before anything is sent, and what it sends.
import { describe, expect, it } from 'vitest';
import './support/layer-imports';
import {
  billingBody,
  billingForm,
  billingSchema,
  contactBody,
  contactForm,
  contactSchema,
  contractSchema,
  createPartnerSchema,
} from '../app/utils/partner-form';

const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('contactSchema', () => {
  it('takes empty optional fields', () => {
    expect(contactSchema.safeParse({ name: '', email: '', phone: '' }).success).toBe(true);
  });

  it('names a bad email and phone in the form\'s words', () => {
    expect(problems(contactSchema.safeParse({ name: 'Nora', email: 'nora@', phone: 'call me' }))).toEqual([
      'email: Enter an email address such as ops@example.com',
      'phone: Enter a phone number such as +46 8 123 456',
    ]);
  });

  it('keeps to the API\'s lengths', () => {
    expect(problems(contactSchema.safeParse({ name: 'x'.repeat(201), email: '', phone: '' }))).toEqual(['name: At most 200 characters']);
  });
});

describe('billingSchema', () => {
  it('takes a VAT id in any case', () => {
    expect(billingSchema.safeParse({ company: '', vatId: 'se556677889901', address: '', email: '' }).success).toBe(true);
  });

  it('refuses a VAT id without its country', () => {
    expect(problems(billingSchema.safeParse({ company: '', vatId: '123456789', address: '', email: '' }))).toEqual([
      'vatId: Enter an EU VAT id such as DE123456789',
    ]);
  });
});

describe('contractSchema and createPartnerSchema', () => {
  it('names the contract fields', () => {
    expect(problems(contractSchema.safeParse({ name: ' ', domain: 'not a domain', marginPct: 101 }))).toEqual([
      "name: Enter the partner's name",
      'domain: Enter a domain such as nordic-it.se',
      'marginPct: The margin is at most 100%',
    ]);
    expect(problems(contractSchema.safeParse({ name: 'Nordic', domain: 'nordic-it.se', marginPct: 12.5 }))).toEqual(['marginPct: Enter a whole percentage']);
  });

  it('explains the slug rule', () => {
    const form = { name: 'Nordic', domain: 'nordic-it.se', marginPct: 10, contactInfo: contactForm(), billingInfo: billingForm() };
    expect(problems(createPartnerSchema.safeParse({ ...form, slug: 'Nordic IT' }))).toEqual([
      'slug: 3-40 lowercase letters, digits and single hyphens, e.g. nordic-it',
    ]);
    expect(createPartnerSchema.safeParse({ ...form, slug: 'nordic-it' }).success).toBe(true);
  });
});

describe('form ↔ API shapes', () => {
  it('fills a form from what the API has, empty where it has nothing', () => {
    expect(contactForm({ name: 'Nora Lind' })).toEqual({ name: 'Nora Lind', email: '', phone: '' });
    expect(billingForm()).toEqual({ company: '', vatId: '', address: '', email: '' });
  });

  it('sends trimmed text, leaves empty fields out and upper-cases the VAT id', () => {
    expect(contactBody({ name: ' Nora Lind ', email: '', phone: ' +46 8 123 456 ' })).toEqual({ name: 'Nora Lind', phone: '+46 8 123 456' });
    expect(billingBody({ company: 'Nordic IT AB', vatId: 'se556677889901', address: '  ', email: 'billing@nordic-it.se' })).toEqual({
      company: 'Nordic IT AB',
      vatId: 'SE556677889901',
      email: 'billing@nordic-it.se',
    });
  });
});
