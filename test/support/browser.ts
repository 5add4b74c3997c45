import type { GqlResult } from './gql';

/** The refresh cookie as the API sets it, parsed from a Set-Cookie header. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const at = attribute.indexOf('=');
    if (at < 0) attributes[attribute.toLowerCase()] = true;
    else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

export interface Answer<T = any> extends GqlResult<T> {
  status: number;
  /** The Set-Cookie header of the answer, parsed, if it had one. */
  setCookie: SetCookie | null;
}

/**
 * One browser's cookie jar for the API's /graphql: keeps the cookie an answer sets (dropped at Max-Age=0) and sends
 * it with every request, as a browser does for a same-origin `fetch` to /graphql. `headers`: sent with every request
 * (e.g. X-Forwarded-For through a trusted proxy).
 */
export class Browser {
  cookie: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...this.headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const header = res.headers.get('set-cookie');
    const setCookie = header ? parseSetCookie(header) : null;
    if (setCookie)
      this.cookie = setCookie.attributes['max-age'] === '0' ? null : `${setCookie.name}=${setCookie.value}`;
    return { ...((await res.json()) as GqlResult<T>), status: res.status, setCookie };
  }

  /** Signs in; the token (the cookie stays in the jar). */
  async login(email: string, password: string): Promise<string> {
    const r = await this.gql(SESSION_DOC.login, { email, password });
    if (!r.data) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
    return r.data.login.token as string;
  }

  /** Renews with the jar's cookie; the answer (token in data.renewSession.token). */
  renew(): Promise<Answer> {
    return this.gql(SESSION_DOC.renewSession);
  }
}

export const SESSION_DOC = {
  login: `mutation($email: String!, $password: String!) {
    login(email: $email, password: $password) { token expiresAt user { id role } }
  }`,
  renewSession: `mutation { renewSession { token expiresAt user { id role } } }`,
  signOut: `mutation($everywhere: Boolean! = false) { signOut(everywhere: $everywhere) }`,
} as const;
