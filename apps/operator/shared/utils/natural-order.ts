// Natural order for keys, slugs and names: "flag_2" before "flag_10", case and accents aside.
const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}
