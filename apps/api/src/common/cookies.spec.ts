import { parseCookies, REFRESH_COOKIE, refreshCookie } from './cookies';

describe('parseCookies', () => {
  it.each([
    [undefined, {}],
    ['', {}],
    ['a=1', { a: '1' }],
    ['a=1; b=2', { a: '1', b: '2' }],
    [' a = 1 ;b=two=2 ', { a: '1', b: 'two=2' }],
    ['a="quoted"', { a: 'quoted' }],
    ['a=1; a=2', { a: '1' }],
    ['novalue; =x; a b=1; c=3', { c: '3' }],
    ['a=', { a: '' }],
    [['a=1', 'b=2'], { a: '1', b: '2' }],
  ])('%j → %j', (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });
});

describe('refreshCookie', () => {
  it('is HttpOnly, SameSite=Strict, for /graphql only, Secure unless told otherwise', () => {
    expect(refreshCookie('abc_-1', 1209600, true)).toBe(
      `${REFRESH_COOKIE}=abc_-1; Max-Age=1209600; Path=/graphql; HttpOnly; SameSite=Strict; Secure`,
    );
    expect(refreshCookie('', 0, false)).toBe(`${REFRESH_COOKIE}=; Max-Age=0; Path=/graphql; HttpOnly; SameSite=Strict`);
  });

  it('reads back what it set', () => {
    const set = refreshCookie('x'.repeat(43), 60, true);
    expect(parseCookies(set.split(';')[0]).get(REFRESH_COOKIE)).toBe('x'.repeat(43));
  });

  it('refuses a value that could break the header', () => {
    expect(() => refreshCookie('a; Domain=evil', 60, true)).toThrow();
  });
});
