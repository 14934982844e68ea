import { toASCII, toUnicode } from 'tr46';

/**
 * Domain names as the platform compares and stores them: lower-case ASCII, international labels
 * in punycode, by UTS-46 (IDNA2008 compatibility processing, nontransitional) through `tr46`,
 * the implementation behind WHATWG URL parsing. Every spelling of one name (`Bücher.DE`,
 * `xn--bcher-kva.de`, full-width letters, an ignored zero-width space) becomes the same string,
 * so uniqueness and DNS lookups see one name.
 *
 * Mixed-script names are not refused: `аcme.eu` with a Cyrillic `а` is a different DNS name from
 * `acme.eu`, and normalises to its own punycode `xn--cme-5cd.eu`. It is the DNS check that stops
 * anyone claiming a name they do not control, whatever it looks like; the Unicode form is shown
 * beside the ASCII one so such a name is visible for what it is.
 */
const UTS46 = {
  checkBidi: true,
  checkHyphens: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  verifyDNSLength: true,
  transitionalProcessing: false,
} as const;

/** Letters, or an international top-level domain in punycode: never all digits (an IP address). */
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type DomainNameResult = { ok: true; name: string } | { ok: false; reason: string };

/** The domain's ASCII form, or why it has none. One trailing dot (the root) is dropped. */
export function normalizeDomainName(input: string): DomainNameResult {
  const trimmed = input.trim().replace(/\.$/, '');
  if (!trimmed) return { ok: false, reason: 'is empty' };
  const ascii = toASCII(trimmed, UTS46);
  if (ascii === null) {
    return { ok: false, reason: 'is not a valid domain name (letters, digits and hyphens in labels of at most 63 characters, 253 in all)' };
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || !TOP_LEVEL.test(labels[labels.length - 1]!)) {
    return { ok: false, reason: 'needs a top-level domain such as .eu or .com' };
  }
  return { ok: true, name: ascii };
}

/** The Unicode form of an ASCII domain name, for display. */
export function displayDomainName(ascii: string): string {
  const { domain, error } = toUnicode(ascii, UTS46);
  return error ? ascii : domain;
}

/** `"value" reason`, quoted and shortened so a message names the value without repeating a huge one. */
export function describeDomainProblem(value: unknown, reason: string): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  return `${shown} ${reason}`;
}
