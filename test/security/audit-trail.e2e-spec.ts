import { createHash } from 'node:crypto';
import { PASSWORD } from '../support/fixtures';
import { gql, GqlResult, login } from '../support/gql';
import { DOC, referralFixture, uniqueEmail } from '../support/operations';
import { createWorld, World } from '../support/world';

/**
 * The security trail: what each kind of event leaves in `audit_event` (and nothing about survivors), that nobody
 * can rewrite it, and that admins alone read it, filtered and paged.
 */
const CANARY = { name: 'Trailcanary Survivor', phone: '+1 555 0100 8181', notes: 'trail-canary notes' };

describe('the security trail', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ RATE_LIMIT_PER_MINUTE: '40' });
  });
  afterAll(() => w.close());

  /** The newest entries of one kind, as admins read them. */
  async function entries(kind: string, first = 20) {
    const r: GqlResult = await gql(w.api.url, DOC.auditEvents, { kinds: [kind], first }, w.tokens.admin);
    expect(r.errors).toBeUndefined();
    return r.data.auditEvents.edges.map(
      (e: { node: { detail: { key: string; value: string | null }[] } & Record<string, unknown> }) => ({
        ...e.node,
        detail: Object.fromEntries(e.node.detail.map((d) => [d.key, d.value])),
      }),
    );
  }

  it('sign-ins: succeeded (who, from where), failed (why, the typed account only as a hash), throttled', async () => {
    const email = uniqueEmail('trail');
    const id = await w.fx.user(email, 'HOTLINE_ADVOCATE', w.orgs.agency);
    await login(w.api.url, email, PASSWORD);
    await gql(w.api.url, DOC.login, { email, password: 'not the password' });
    await gql(w.api.url, DOC.login, { email: 'Maria Survivorname', password: 'anything' });
    expect((await entries('LOGIN_SUCCEEDED'))[0]).toMatchObject({
      actorUserId: id,
      actorRole: 'HOTLINE_ADVOCATE',
      address: expect.stringMatching(/127\.0\.0\.1/),
    });
    const [unknown, wrong] = await entries('LOGIN_FAILED');
    expect(wrong).toMatchObject({ subjectType: 'user', subjectId: id, detail: { reason: 'wrong password' } });
    expect(unknown).toMatchObject({ subjectId: null, detail: { reason: 'unknown account' } });
    expect(JSON.stringify(await entries('LOGIN_FAILED'))).not.toMatch(/Survivorname|trail.*@example\.org/i);
    // a keyed hash: a plain hash of what was typed (a password in the wrong field, say) could be tested offline
    const plain = createHash('sha256').update('maria survivorname').digest('base64url').slice(0, 16);
    expect(unknown.detail.account).toMatch(/^[\w-]{16}$/);
    expect(unknown.detail.account).not.toBe(plain);
    // an account that never signed in from here: past five failures, refused before any password check
    const target = uniqueEmail('locked');
    await w.fx.user(target, 'HOTLINE_ADVOCATE', w.orgs.agency);
    for (let i = 0; i < 6; i++) await gql(w.api.url, DOC.login, { email: target, password: `guess ${i}` });
    expect(await entries('LOGIN_THROTTLED')).toHaveLength(1);
  });

  it('refusals: FORBIDDEN for a role, NOT_FOUND on another organisation’s object, with the operation', async () => {
    await gql(w.api.url, DOC.regionCapacity, { id: w.regions.countyA }, w.tokens.staffA);
    await gql(w.api.url, DOC.confirmAvailability, { shelterId: w.shelters.b }, w.tokens.staffA);
    const refused = await entries('ACCESS_REFUSED');
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorUserId: w.users.staffA,
          detail: { code: 'FORBIDDEN', operation: 'Query.regionCapacity' },
        }),
        expect.objectContaining({
          actorUserId: w.users.staffA,
          detail: { code: 'NOT_FOUND', operation: 'Mutation.confirmAvailability' },
        }),
      ]),
    );
  });

  it('rate limits (429), exports, and admin changes to users, regions and organisations', async () => {
    const token = await login(w.api.url, 'staff.b@example.org', PASSWORD);
    for (let i = 0; i < 45; i++) await gql(w.api.url, `{ me { id } }`, {}, token);
    expect((await entries('RATE_LIMITED'))[0]).toMatchObject({ actorUserId: w.users.staffB });

    await fetch(`${w.api.url}/exports/capacity.csv?regionId=${w.regions.countyA}`, {
      headers: { authorization: `Bearer ${w.tokens.coordinator}` },
    });
    expect((await entries('EXPORT_DOWNLOADED'))[0]).toMatchObject({
      actorUserId: w.users.coordinator,
      subjectId: 'capacity.csv',
      detail: { regionId: w.regions.countyA },
    });

    const created = await gql(
      w.api.url,
      DOC.createUser,
      {
        input: {
          email: uniqueEmail('new'),
          displayName: 'New Colleague',
          password: 'a long enough password',
          role: 'SHELTER_STAFF',
          organisationId: w.orgs.providerA,
        },
      },
      w.tokens.admin,
    );
    const userId = created.data.createUser.id;
    await gql(w.api.url, DOC.updateUser, { id: userId, input: { password: 'another long password' } }, w.tokens.admin);
    await gql(w.api.url, DOC.deactivateUser, { id: userId }, w.tokens.admin);
    await gql(w.api.url, DOC.reactivateUser, { id: userId }, w.tokens.admin);
    const region = await gql(w.api.url, DOC.createRegion, { input: { code: 'ST-C', name: 'Cedar' } }, w.tokens.admin);
    await gql(
      w.api.url,
      DOC.updateRegion,
      { id: region.data.createRegion.id, input: { name: 'Cedar County' } },
      w.tokens.admin,
    );
    const org = await gql(
      w.api.url,
      DOC.createOrganisation,
      { input: { name: 'Trail House', kind: 'SHELTER_PROVIDER' } },
      w.tokens.admin,
    );
    await gql(
      w.api.url,
      DOC.renameOrganisation,
      { id: org.data.createOrganisation.id, input: { name: 'Trail Homes' } },
      w.tokens.admin,
    );
    const byAdmin = async (kind: string) => (await entries(kind))[0];
    expect(await byAdmin('USER_CREATED')).toMatchObject({ actorUserId: w.users.admin, subjectId: userId });
    expect(await byAdmin('USER_UPDATED')).toMatchObject({ subjectId: userId, detail: { fields: 'password' } });
    expect(await byAdmin('USER_DEACTIVATED')).toMatchObject({ subjectId: userId });
    expect(await byAdmin('USER_REACTIVATED')).toMatchObject({ subjectId: userId });
    expect(await byAdmin('REGION_CREATED')).toMatchObject({ subjectId: region.data.createRegion.id });
    expect(await byAdmin('REGION_UPDATED')).toMatchObject({ detail: { fields: 'name' } });
    expect(await byAdmin('ORGANISATION_CREATED')).toMatchObject({ subjectId: org.data.createOrganisation.id });
    expect(await byAdmin('ORGANISATION_RENAMED')).toMatchObject({ subjectId: org.data.createOrganisation.id });
    // the trail names fields, never their values
    expect(JSON.stringify(await gql(w.api.url, DOC.auditEvents, { first: 100 }, w.tokens.admin))).not.toMatch(
      /another long password|New Colleague/,
    );
  });

  it('identity reads are in the trail too; no survivor data is anywhere in it', async () => {
    const f = await referralFixture(w, 'OFFERED', { offerTo: 'A', identity: CANARY });
    await gql(
      w.api.url,
      `query($id: ID!) { referral(id: $id) { identity { name } } }`,
      { id: f.id },
      w.tokens.advocate,
    );
    expect((await entries('IDENTITY_READ'))[0]).toMatchObject({
      actorUserId: w.users.advocate,
      subjectType: 'referral',
      subjectId: f.id,
    });
    const { rows } = await w.fx.pg.query<{ t: string }>(`SELECT t::text FROM audit_event t`);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.t).join('\n')).not.toMatch(/Trailcanary|0100 8181|trail-canary/);
  });

  it('nobody rewrites the trail: updates and deletes are refused', async () => {
    await expect(w.fx.pg.query(`UPDATE audit_event SET kind = 'LOGIN_SUCCEEDED'`)).rejects.toThrow(/append-only/);
    await expect(w.fx.pg.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it('admins page through it, newest first, and filter by actor; no one else reads it', async () => {
    const pages: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const r: GqlResult = await gql(w.api.url, DOC.auditEvents, { first: 2, after }, w.tokens.admin);
      pages.push(...r.data.auditEvents.edges.map((e: { node: { id: string } }) => e.node.id));
      after = r.data.auditEvents.pageInfo.endCursor;
    }
    expect(new Set(pages).size).toBe(6);
    expect(pages.map(Number)).toEqual([...pages.map(Number)].sort((a, b) => b - a));
    // to the end: every entry once, newest first by number (ids past 9 and 99 too, never in text order)
    const all: string[] = [];
    after = null;
    for (let more = true; more;) {
      const r: GqlResult = await gql(w.api.url, DOC.auditEvents, { first: 7, after }, w.tokens.admin);
      all.push(...r.data.auditEvents.edges.map((e: { node: { id: string } }) => e.node.id));
      after = r.data.auditEvents.pageInfo.endCursor;
      more = r.data.auditEvents.pageInfo.hasNextPage;
    }
    const stored = await w.fx.all<{ id: string }>(
      `SELECT id::text AS id FROM audit_event ORDER BY audit_event.id DESC`,
    );
    expect(stored.length).toBeGreaterThan(10);
    expect(all).toEqual(stored.map((r) => r.id));
    const mine = await gql(w.api.url, DOC.auditEvents, { actorUserId: w.users.staffA, first: 100 }, w.tokens.admin);
    expect(
      new Set(mine.data.auditEvents.edges.map((e: { node: { actorUserId: string } }) => e.node.actorUserId)),
    ).toEqual(new Set([w.users.staffA]));
    for (const role of ['staffA', 'advocate', 'coordinator'] as const) {
      const r = await gql(w.api.url, DOC.auditEvents, {}, w.tokens[role]);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
