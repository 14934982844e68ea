// Slugs as both apps' forms suggest them; the rule itself is `isSlug` of @dezky/contracts.
import { SLUG_MAX } from '@dezky/contracts';

/** A slug suggested from a name: "Acme Robotics GmbH" → "acme-robotics-gmbh", "Bücher & Co" → "bucher-co". */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}
