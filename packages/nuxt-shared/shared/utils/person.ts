// How both apps name a person (the signed-in user, an audit entry's actor, a flag change's
// author): one name, their display name when the platform knows it, else their email; the email
// itself on hover.
import { z } from 'zod';

export interface Person {
  email: string;
  /** The display name; empty, null or missing when unknown. */
  name?: string | null;
}

/** The one name a person is shown by: their display name when known, else their email. */
export function displayName(person: Person): string {
  return person.name?.trim() || person.email;
}

/** Up to two initials for an avatar: of the display name, else the email's first letter. */
export function personInitials(person: Person): string {
  const name = person.name?.trim();
  if (!name) return person.email.slice(0, 1).toUpperCase();
  return name
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
}

/** Whether `value` is a whole email address (as the API's IsEmail accepts it). */
export function isEmailAddress(value: string): boolean {
  return z.email().safeParse(value).success;
}
