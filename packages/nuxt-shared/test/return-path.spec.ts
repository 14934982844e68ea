import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../shared/utils/return-path';

const ORIGIN = 'http://127.0.0.1:3100';

describe('safeReturnPath', () => {
  it.each([
    ['/tenants/acme', '/tenants/acme'],
    ['/flags?key=jmap_native_v2#history', '/flags?key=jmap_native_v2#history'],
    ['/a/../b', '/b'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/tenants/caf%C3%A9', '/tenants/caf%C3%A9'],
  ])('keeps the path of the app %j', (value, expected) => {
    expect(safeReturnPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '//evil.example',
    '///evil.example',
    '/.//evil.example',
    '/..//evil.example',
    'https://evil.example/',
    'http://127.0.0.1:3100.evil.example/',
    'javascript:alert(1)',
    'evil.example',
    ' /tenants',
    '',
    '/auth/logout',
    '/auth/oidc?redirect=//evil.example',
  ])('answers "/" for %j', (value) => {
    expect(safeReturnPath(value, ORIGIN)).toBe('/');
  });

  it.each([undefined, null, 42, ['/tenants'], { path: '/tenants' }])('answers "/" for the non-string %j', (value) => {
    expect(safeReturnPath(value, ORIGIN)).toBe('/');
  });

  it('resolves against the origin it is given, whatever the scheme and port', () => {
    expect(safeReturnPath('/flags', 'https://operator.dezky.example')).toBe('/flags');
    expect(safeReturnPath('https://operator.dezky.example/flags', 'https://operator.dezky.example')).toBe('/');
  });
});
