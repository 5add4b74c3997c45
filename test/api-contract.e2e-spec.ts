import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '@shelterlink/config';
import { dataSourceOptions } from '@shelterlink/database';
import { BedPoolEntity, ELIGIBILITY_COLUMNS, ShelterEntity } from '@shelterlink/shelters';
import { collect, gql } from './support/gql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createWorld, World } from './support/world';

/**
 * What the README promises a client, checked against the running API: the error codes it lists, how a socket
 * presents its token, and that the page sizes it promises fit the cost limit with what a dashboard asks for. And
 * one list of eligibility columns, which the entity and the database both follow.
 */
const ROOT = path.resolve(__dirname, '..');

describe('the API contract the README describes', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  it('lists every error code a client can receive', () => {
    const source = readFileSync(path.join(ROOT, 'libs/common/src/domain-error.ts'), 'utf8');
    const union = /export type ErrorCode =([^;]+);/.exec(source)![1];
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes).toContain('INVALID_TRANSITION');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('Every error carries a stable `extensions.code`'));
    const listed = section.slice(0, section.indexOf('\n\n'));
    expect(codes.filter((code) => !listed.includes(`\`${code}\``))).toEqual([]);
  });

  describe('a socket presents its token in connectionParams.authorization', () => {
    const socket = (authorization: string) =>
      createClient({
        url: `${w.api.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization },
        retryAttempts: 0,
        lazy: true,
      });
    const subscribe = (authorization: string) =>
      collect(socket(authorization), `subscription($id: ID!) { bedAvailabilityChanged(regionId: $id) { poolId } }`, {
        id: w.regions.countyA,
      });

    it.each([
      ['as "Bearer <token>"', (t: string) => `Bearer ${t}`],
      ['as the bare token', (t: string) => t],
    ])('%s: accepted', async (_label, form) => {
      const sub = subscribe(form(w.tokens.staffA));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const change = await gql(
        w.api.url,
        `mutation($p: ID!) { adjustBeds(input: { poolId: $p, occupiedDelta: 1 }) { version } }`,
        { p: w.pools.a },
        w.tokens.staffA,
      );
      expect(change.errors).toBeUndefined();
      expect((await sub.next(1, 5000)).data.bedAvailabilityChanged).toEqual({ poolId: w.pools.a });
      sub.dispose();
      await gql(
        w.api.url,
        `mutation($p: ID!) { adjustBeds(input: { poolId: $p, occupiedDelta: -1 }) { version } }`,
        { p: w.pools.a },
        w.tokens.staffA,
      );
    });

    it.each([
      ['another scheme', (t: string) => `Basic ${t}`],
      ['a token that is not one', () => 'not-a-token'],
      ['a tampered token', (t: string) => `${t.slice(0, -2)}xx`],
    ])('%s: the socket is refused (4403)', async (_label, form) => {
      const sub = subscribe(form(w.tokens.staffA));
      await expect(sub.next(1, 3000)).rejects.toThrow(/subscription ended/);
      expect((sub.error as { code?: number }).code).toBe(4403);
    });
  });

  it('a dashboard page of 100 shelters with pools, eligibility, region and provider fits the cost limit', async () => {
    const dashboard = `query($first: Int!) {
      shelters(first: $first) {
        edges { cursor node {
          id name city status stale acceptingIntakesNow availabilityVerifiedAt locationConfidential services
          approximateLocation { latitude longitude }
          region { id name } organisation { id name }
          eligibility { genders minAge maxAge acceptsChildren maxChildren languages wheelchairAccessible petsAllowed
                        substanceUsePolicy lgbtqAffirming immigrationPolicy programming curfew maxStayDays }
          pools { id bedType capacity occupied held outOfService available version updatedAt }
        } }
        pageInfo { endCursor hasNextPage }
      }
    }`;
    for (const first of [40, 100]) {
      const r = await gql(w.api.url, dashboard, { first }, w.tokens.coordinator);
      expect({ first, errors: r.errors }).toEqual({ first, errors: undefined });
      expect(r.data.shelters.edges.length).toBeGreaterThan(0);
    }
  });
});

describe('eligibility columns: one list', () => {
  it('the entity maps exactly ELIGIBILITY_COLUMNS, and the shelter table has exactly those elig_ columns', async () => {
    const w = await createWorld();
    const config = new AppConfig({ NODE_ENV: 'test', DATABASE_URL: w.env.db.url, LOG_LEVEL: 'silent' });
    const db = new DataSource(dataSourceOptions(config, [ShelterEntity, BedPoolEntity]));
    try {
      await db.initialize();
      const mapped = db
        .getMetadata(ShelterEntity)
        .columns.map((c) => c.databaseName)
        .filter((name) => name.startsWith('elig_'));
      const listed = Object.values(ELIGIBILITY_COLUMNS);
      expect([...mapped].sort()).toEqual([...listed].sort());
      const { rows } = await w.fx.pg.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = 'shelter' AND column_name LIKE 'elig\\_%' ORDER BY column_name`,
      );
      expect(rows.map((r) => r.column_name)).toEqual([...listed].sort());
    } finally {
      await db.destroy();
      await w.close();
    }
  });
});
