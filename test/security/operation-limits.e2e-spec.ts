import type { Client as WsClient } from 'graphql-ws';
import { GqlResult, wsClient } from '../support/gql';
import { needs, wsExecute } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * Attacks on what one operation may ask for, each refused before anything runs, with HTTP 400 and the code
 * QUERY_TOO_COMPLEX, over HTTP and WebSocket alike: the cost limit never switches itself off, expensive fields cost
 * what they cost and only a few may run, and documents are bounded in tokens, fields, aliases and directives.
 */
const aliased = (n: number, field = 'me { id }') =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('limits on one operation', () => {
  let w: World;
  let socket: WsClient;
  beforeAll(async () => {
    w = await createWorld();
    socket = wsClient(w.api.url, w.tokens.advocate);
  });
  afterAll(async () => {
    await socket.dispose();
    await w.close();
  });

  async function http(query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(`${w.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.tokens.advocate}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    return { status: res.status, size: text.length, body: JSON.parse(text) as GqlResult };
  }

  // every row has its variables: jest takes a missing last argument for a `done` callback and waits for it
  const refusals: [string, () => string, RegExp, Record<string, unknown>][] = [
    // the attack that switched the cost limit off: 10,001 aliases, costed near 340,000, ran for 4.8 s
    ['10,001 aliases of me', () => aliased(10_001), /too (large|long|complex)/, {}],
    ['31 aliases (the limit is 30)', () => aliased(31), /more than 30 aliases/, {}],
    ['a document of more than 10,000 tokens', () => `{ me { ${'id '.repeat(10_001)}} }`, /too long/, {}],
    [
      'more than 500 fields through inline fragments',
      () => `{ me { ${Array.from({ length: 501 }, () => '... on User { id }').join(' ')} } }`,
      /more than 500 fields/,
      {},
    ],
    [
      'more than 20 directives',
      () => `{ me { ${Array.from({ length: 21 }, () => '... on User @include(if: true) { id }').join(' ')} } }`,
      /more than 20 directives/,
      {},
    ],
    // one request ran 1,000 aliased searches; now a search costs 100 and three may run in one operation
    [
      'four searches in one operation',
      () =>
        `query($n: NeedsInput!) { ${[1, 2, 3, 4].map((i) => `s${i}: searchBeds(needs: $n) { examinedShelters }`).join(' ')} }`,
      /too expensive \(4 searches or reports; the limit is 3/,
      { n: needs() },
    ],
    [
      'a page of 100 referrals with every timeline (3 statements each)',
      () => `{ referrals(first: 100) { edges { node { id consents { id } events { reason } offers { id } } } } }`,
      /too complex/,
      {},
    ],
  ];

  it.each(refusals)('HTTP: %s → 400 QUERY_TOO_COMPLEX, nothing run', async (_label, query, message, variables) => {
    const { status, size, body } = await http(query(), variables);
    expect({ status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX' });
    expect(body.errors![0].message).toMatch(message);
    expect(body.data ?? null).toBeNull();
    expect(size).toBeLessThan(2_000);
  });

  it.each(refusals)('WebSocket: %s → QUERY_TOO_COMPLEX', async (_label, query, message, variables) => {
    const r = await wsExecute(socket, query(), variables);
    expect(r.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(r.errors![0].message).toMatch(message);
    expect(r.data ?? null).toBeNull();
  });

  it.each([
    ['30 aliases', aliased(30), {}],
    [
      'three searches',
      `query($n: NeedsInput!) { ${[1, 2, 3].map((i) => `s${i}: searchBeds(needs: $n) { examinedShelters }`).join(' ')} }`,
      { n: needs() },
    ],
    [
      'a page of 50 referrals with every timeline',
      `{ referrals(first: 50) { edges { node { id events { reason } } } } }`,
      {},
    ],
  ] as const)('just within the limits: %s runs', async (_label, query, variables) => {
    const { status, body } = await http(query, variables);
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  });
});
