// The tenant slug rule of the create form, explained: the same rule as `isSlug` of
// @dezky/contracts (lowercase letters, digits and single hyphens; 3-40 characters).
import { isSlug, SLUG_MAX, SLUG_MIN } from '@dezky/contracts';

export const SLUG_RULE = `Lowercase letters, digits and single hyphens; ${SLUG_MIN}–${SLUG_MAX} characters.`;

/** Why `value` is not a valid slug, in words; undefined when it is one. */
export function slugProblem(value: string): string | undefined {
  // isSlug narrows: past a failed type guard `value` would be `never`.
  if ((isSlug as (v: unknown) => boolean)(value)) return undefined;
  if (!value) return 'Enter a slug.';
  if (/[A-Z]/.test(value)) return 'Use lowercase letters only.';
  if (/\s/.test(value)) return 'Spaces are not allowed: use a hyphen instead.';
  if (/[^a-z0-9-]/.test(value)) return 'Only lowercase letters (a–z), digits and hyphens are allowed.';
  if (value.startsWith('-') || value.endsWith('-')) return 'The slug cannot start or end with a hyphen.';
  if (value.includes('--')) return 'Use single hyphens only.';
  if (value.length < SLUG_MIN) return `At least ${SLUG_MIN} characters.`;
  if (value.length > SLUG_MAX) return `At most ${SLUG_MAX} characters.`;
  return SLUG_RULE;
}
