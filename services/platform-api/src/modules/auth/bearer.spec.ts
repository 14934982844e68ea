import { bearerToken } from './bearer';

describe('bearerToken', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

  it('reads the token of the Bearer scheme, in any case, around spaces', () => {
    expect(bearerToken(`Bearer ${jwt}`)).toBe(jwt);
    expect(bearerToken(`bearer ${jwt}`)).toBe(jwt);
    expect(bearerToken(`BEARER ${jwt}`)).toBe(jwt);
    expect(bearerToken(`  Bearer ${jwt}  `)).toBe(jwt);
    expect(bearerToken('Bearer a..')).toBe('a..');
  });

  it('finds none in another scheme, a malformed token or no header', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${jwt}`, `Bearer  ${jwt}`, `Bearer ${jwt} x`, 'Bearer abc', 'Bearer a.b', 'Bearer a.b.c.d', `Bearer ${jwt}!`, `Bearerx ${jwt}`]) {
      expect(bearerToken(header), String(header)).toBeUndefined();
    }
  });
});
