/** The refresh cookie: sent by the browser to /graphql only (and its WebSocket upgrade), never readable by scripts. */
export const REFRESH_COOKIE = 'shelterlink_refresh';

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The cookies of a Cookie header, by name (the first of a repeated name, as browsers send the most specific
 * first). Values are taken as sent (ours are base64url); surrounding quotes are removed. Malformed pairs are skipped.
 */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!NAME.test(name) || cookies.has(name)) continue;
    cookies.set(name, value);
  }
  return cookies;
}

/**
 * The Set-Cookie value for the refresh cookie: HttpOnly, SameSite=Strict, Path=/graphql, and Secure unless `secure`
 * is false (plain http in development or test mode). `maxAgeSeconds` 0 (with an empty value) removes it.
 */
export function refreshCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw new Error('a refresh token is base64url');
  return [
    `${REFRESH_COOKIE}=${value}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'Path=/graphql',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
