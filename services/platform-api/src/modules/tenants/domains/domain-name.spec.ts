import { displayDomainName, normalizeDomainName } from './domain-name';

const ascii = (input: string) => {
  const result = normalizeDomainName(input);
  return result.ok ? result.name : `refused: ${result.reason}`;
};

describe('normalizeDomainName', () => {
  it.each([
    ['acme.eu', 'acme.eu'],
    ['ACME.EU', 'acme.eu'],
    ['  acme.eu. ', 'acme.eu'],
    ['Bücher.DE', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    // Full-width letters and the ideographic full stop map to their ASCII forms.
    ['ｅｘａｍｐｌｅ．ｃｏｍ', 'example.com'],
    ['mail。acme.eu', 'mail.acme.eu'],
    // A zero-width space is ignored by UTS-46: the same name as without it.
    ['gmail.com\u200b', 'gmail.com'],
    ['ß.de', 'xn--zca.de'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
  ])('%j is %j', (input, expected) => {
    expect(ascii(input)).toBe(expected);
  });

  it('gives a Cyrillic look-alike its own punycode name, the same as its punycode spelling, never the Latin one', () => {
    const cyrillic = ascii('\u0430cme.eu');
    expect(cyrillic).toBe('xn--cme-5cd.eu');
    expect(ascii('xn--cme-5cd.eu')).toBe(cyrillic);
    expect(cyrillic).not.toBe(ascii('acme.eu'));
    // Mixed scripts are valid DNS names: normalised, not refused (DNS verification is what guards them).
    expect(ascii('www.\u0430\u0440\u0440\u04cf\u0435.com')).toBe('www.xn--80ak6aa92e.com');
  });

  it.each([
    ['', 'is empty'],
    ['not a host', 'not a valid domain name'],
    ['a_b.com', 'not a valid domain name'],
    ['a..b.com', 'not a valid domain name'],
    ['-acme.eu', 'not a valid domain name'],
    ['acme-.eu', 'not a valid domain name'],
    ['xn--zzzz.com', 'not a valid domain name'],
    ['a'.repeat(64) + '.com', 'not a valid domain name'],
    [`${'a'.repeat(60)}.`.repeat(5) + 'com', 'not a valid domain name'],
    ['a\u200db.com', 'not a valid domain name'],
    ['\u202eabc.com', 'not a valid domain name'],
    ['acme.eu/path', 'not a valid domain name'],
    ['%41.com', 'not a valid domain name'],
    ['user@acme.eu', 'not a valid domain name'],
    ['acme.eu:443', 'not a valid domain name'],
    ['localhost', 'needs a top-level domain'],
    ['1.2.3.4', 'needs a top-level domain'],
    ['0x7f.1', 'needs a top-level domain'],
  ])('refuses %j: it %s', (input, reason) => {
    expect(ascii(input)).toContain(reason);
  });
});

describe('displayDomainName', () => {
  it('shows the Unicode form of a punycode name, and an ASCII name as it is', () => {
    expect(displayDomainName('xn--bcher-kva.de')).toBe('bücher.de');
    expect(displayDomainName('xn--cme-5cd.eu')).toBe('\u0430cme.eu');
    expect(displayDomainName('acme.eu')).toBe('acme.eu');
  });
});
