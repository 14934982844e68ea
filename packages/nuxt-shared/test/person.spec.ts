import { describe, expect, it } from 'vitest';
import { displayName, isEmailAddress, personInitials } from '../shared/utils/person';
import { suggestSlug } from '../shared/utils/slug';

describe('displayName', () => {
  it('is the display name when the platform knows it', () => {
    expect(displayName({ email: 'admin@dezky.test', name: 'Olivia Operator' })).toBe('Olivia Operator');
  });

  it('is the email when the name is unknown, empty or blank', () => {
    expect(displayName({ email: 'admin@dezky.test' })).toBe('admin@dezky.test');
    expect(displayName({ email: 'admin@dezky.test', name: null })).toBe('admin@dezky.test');
    expect(displayName({ email: 'admin@dezky.test', name: '' })).toBe('admin@dezky.test');
    expect(displayName({ email: 'admin@dezky.test', name: '   ' })).toBe('admin@dezky.test');
  });

  it('trims the name', () => {
    expect(displayName({ email: 'a@b.test', name: '  Alice Example ' })).toBe('Alice Example');
  });
});

describe('personInitials', () => {
  it("takes the first letters of the name's first two words", () => {
    expect(personInitials({ email: 'admin@dezky.test', name: 'Olivia Operator' })).toBe('OO');
    expect(personInitials({ email: 'x@y.test', name: 'anna maria  von berg' })).toBe('AM');
    expect(personInitials({ email: 'x@y.test', name: 'Cher' })).toBe('C');
  });

  it("is the email's first letter without a name", () => {
    expect(personInitials({ email: 'bob@customer.test', name: null })).toBe('B');
  });
});

describe('isEmailAddress', () => {
  it('accepts a whole address only', () => {
    expect(isEmailAddress('admin@dezky.test')).toBe(true);
    expect(isEmailAddress('admin@dezky')).toBe(false);
    expect(isEmailAddress('admin')).toBe(false);
    expect(isEmailAddress('')).toBe(false);
  });
});

describe('suggestSlug', () => {
  it('makes a slug of a name', () => {
    expect(suggestSlug('Acme Robotics GmbH')).toBe('acme-robotics-gmbh');
    expect(suggestSlug('  Bücher & Co. ')).toBe('bucher-co');
    expect(suggestSlug('Nordic IT AB')).toBe('nordic-it-ab');
  });

  it('keeps to 40 characters without a trailing hyphen', () => {
    expect(suggestSlug('a'.repeat(39) + ' b')).toBe('a'.repeat(39));
    expect(suggestSlug('x'.repeat(50))).toBe('x'.repeat(40));
  });
});
