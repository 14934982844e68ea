import { IF_MATCH_PATTERN, ifMatchAllows, newFlagEtag, parseIfMatch } from './flag-etag';

describe('newFlagEtag', () => {
  it('is a strong entity tag carrying the version, different on every write', () => {
    const tags = Array.from({ length: 1000 }, () => newFlagEtag(7));
    for (const tag of tags) expect(tag).toMatch(/^"7-[A-Za-z0-9_-]{16}"$/);
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe('parseIfMatch', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['*', '*'],
    [' * ', '*'],
    ['"3-abc"', ['"3-abc"']],
    ['W/"3-abc"', ['W/"3-abc"']],
    ['"a", "b"', ['"a"', '"b"']],
    ['"a",W/"b" ,, "c",', ['"a"', 'W/"b"', '"c"']],
    ['"a,b"', ['"a,b"']],
    ['""', ['""']],
  ])('%j -> %j', (header, condition) => {
    expect(parseIfMatch(header)).toEqual(condition);
  });

  const tooMany = Array.from({ length: 21 }, (_, i) => `"t${i}"`).join(', ');
  it.each(['3', '"3', '3"', '"a" "b"', '*, "a"', '"a", *', ',', 'w/"a"', '"a b"', '"a"b', tooMany])('refuses %j naming If-Match', (header) => {
    expect(() => parseIfMatch(header)).toThrow(/If-Match/);
  });
});

describe('ifMatchAllows', () => {
  it('matches an equal strong tag and *, never a weak tag or a different one', () => {
    const etag = '"3-abc"';
    expect(ifMatchAllows('*', etag)).toBe(true);
    expect(ifMatchAllows(['"x"', etag], etag)).toBe(true);
    expect(ifMatchAllows([`W/${etag}`], etag)).toBe(false);
    expect(ifMatchAllows(['"3"'], etag)).toBe(false);
    expect(ifMatchAllows(['"3-abd"'], etag)).toBe(false);
  });
});

describe('IF_MATCH_PATTERN (the OpenAPI document states it)', () => {
  it('takes exactly what parseIfMatch takes', () => {
    const headers = ['', '  ', '*', ' * ', '"3-abc"', 'W/"3"', '"a", "b"', '"a",,"b",', ',"a"', '"a" "b"', '3', '"3', 'W/3', ',,', '**', `${'"x",'.repeat(20)}`, `${'"x",'.repeat(21)}`];
    for (const header of headers) {
      let parses = true;
      try {
        parseIfMatch(header);
      } catch {
        parses = false;
      }
      expect(IF_MATCH_PATTERN.test(header), JSON.stringify(header)).toBe(parses);
    }
  });
});
