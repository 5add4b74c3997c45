import { errorCode, gql, login } from '../support/gql';
import { createWorld, World } from '../support/world';

const PASSWORD = 'correct horse battery staple';

describe('admin manages regions, organisations and users', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.close());

  const admin = (query: string, variables: Record<string, unknown> = {}) =>
    gql(w.api.url, query, variables, w.tokens.admin);

  it('builds and reshapes the region tree; a moved county takes its subtree and its shelters with it', async () => {
    const created = await admin(
      `mutation($i: CreateRegionInput!) { createRegion(input: $i) { id code name parentId } }`,
      { i: { code: 'ST-A-N', name: 'North Alder', parentId: w.regions.countyA } },
    );
    expect(created.data.createRegion).toMatchObject({ code: 'ST-A-N', parentId: w.regions.countyA });
    const north = created.data.createRegion.id as string;

    // move county A (with North Alder below it) under county B
    const moved = await admin(
      `mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { parentId } }`,
      {
        id: w.regions.countyA,
        i: { parentId: w.regions.countyB },
      },
    );
    expect(moved.data.updateRegion.parentId).toBe(w.regions.countyB);
    const path = await w.fx.one<{ path: string[] }>(`SELECT path FROM region WHERE id = $1`, [north]);
    expect(path.path).toEqual([w.regions.state, w.regions.countyB, w.regions.countyA, north]);

    // county B's listing now includes county A's shelters
    const list = await gql(
      w.api.url,
      `query($r: ID) { shelters(first: 10, regionId: $r) { edges { node { name } } } }`,
      { r: w.regions.countyB },
      w.tokens.advocate,
    );
    expect(list.data.shelters.edges.map((e: any) => e.node.name).sort()).toEqual([
      'Beacon Home',
      'Harbor House North',
      'Harbor Open Door',
    ]);

    // a cycle is refused and nothing changes
    const cycle = await admin(
      `mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { id } }`,
      {
        id: w.regions.countyB,
        i: { parentId: north },
      },
    );
    expect(cycle.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    expect((await w.fx.one(`SELECT parent_id FROM region WHERE id = $1`, [w.regions.countyB])).parent_id).toBe(
      w.regions.state,
    );

    // back where it was
    await admin(`mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { id } }`, {
      id: w.regions.countyA,
      i: { parentId: w.regions.state },
    });
  });

  it('creates an organisation and a user who can sign in; deactivation ends their session at once', async () => {
    const org = await admin(`mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id kind } }`, {
      i: { name: 'Safe Passage', kind: 'SHELTER_PROVIDER' },
    });
    const orgId = org.data.createOrganisation.id as string;
    const user = await admin(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id email role organisation { name } active } }`,
      {
        i: {
          email: 'New.Staff@Example.org',
          displayName: 'New Staff',
          password: PASSWORD,
          role: 'SHELTER_STAFF',
          organisationId: orgId,
        },
      },
    );
    expect(user.data.createUser).toMatchObject({
      email: 'new.staff@example.org',
      role: 'SHELTER_STAFF',
      organisation: { name: 'Safe Passage' },
      active: true,
    });
    const token = await login(w.api.url, 'new.staff@example.org', PASSWORD);
    expect((await gql(w.api.url, `{ me { email } }`, {}, token)).data.me.email).toBe('new.staff@example.org');

    const off = await admin(`mutation($id: ID!) { deactivateUser(id: $id) { active } }`, {
      id: user.data.createUser.id,
    });
    expect(off.data.deactivateUser.active).toBe(false);
    expect(errorCode(await gql(w.api.url, `{ me { email } }`, {}, token))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(
        await gql(w.api.url, `mutation { login(email: "new.staff@example.org", password: "${PASSWORD}") { token } }`),
      ),
    ).toBe('INVALID_CREDENTIALS');

    await admin(`mutation($id: ID!) { reactivateUser(id: $id) { active } }`, { id: user.data.createUser.id });
    expect(await login(w.api.url, 'new.staff@example.org', PASSWORD)).toBeTruthy();
  });

  it("changes a user's role and organisation: every sign-in ends, and the next one works in the new role only", async () => {
    // an advocate of the hotline, signed in on their phone
    await admin(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
      i: {
        email: 'mover@example.org',
        displayName: 'Mover',
        password: PASSWORD,
        role: 'HOTLINE_ADVOCATE',
        organisationId: w.orgs.agency,
      },
    });
    const phone = await login(w.api.url, 'mover@example.org', PASSWORD);
    expect(
      (await gql(w.api.url, `{ referrals(first: 5) { edges { node { id } } } }`, {}, phone)).errors,
    ).toBeUndefined();

    // another day, the admin signs in afresh and finds them by email, then finds Harbor House by name
    const adminToday = await login(w.api.url, 'admin@example.org', PASSWORD);
    const asAdmin = (query: string, variables: Record<string, unknown> = {}) =>
      gql(w.api.url, query, variables, adminToday);
    const users = await asAdmin(`{ users { id email role } }`);
    const mover = users.data.users.find((u: any) => u.email === 'mover@example.org');
    const orgs = await asAdmin(`{ organisations { id name kind } }`);
    const harbor = orgs.data.organisations.find((o: any) => o.name === 'Harbor House');
    const change = `mutation($id: ID!, $i: UpdateUserInput!) {
      updateUser(id: $id, input: $i) { role organisation { name } regions { code } }
    }`;

    // a role whose organisation is of the wrong kind is refused, and nothing changes
    const wrongKind = await asAdmin(change, { id: mover.id, i: { role: 'SHELTER_STAFF' } });
    expect(wrongKind.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisationId' });
    expect(await w.fx.one(`SELECT role, organisation_id FROM app_user WHERE id = $1`, [mover.id])).toEqual({
      role: 'HOTLINE_ADVOCATE',
      organisation_id: w.orgs.agency,
    });
    expect((await gql(w.api.url, `{ me { role } }`, {}, phone)).data.me.role).toBe('HOTLINE_ADVOCATE');

    // shelter staff of Harbor House now
    const moved = await asAdmin(change, { id: mover.id, i: { role: 'SHELTER_STAFF', organisationId: harbor.id } });
    expect(moved.data.updateUser).toEqual({
      role: 'SHELTER_STAFF',
      organisation: { name: 'Harbor House' },
      regions: [],
    });
    // the phone's sign-in ended at once
    expect(errorCode(await gql(w.api.url, `{ me { role } }`, {}, phone))).toBe('UNAUTHENTICATED');
    // signed in again: Harbor House's shelters are theirs, the hotline's referrals are not
    const next = await login(w.api.url, 'mover@example.org', PASSWORD);
    expect((await gql(w.api.url, `{ me { role organisation { name } } }`, {}, next)).data.me).toEqual({
      role: 'SHELTER_STAFF',
      organisation: { name: 'Harbor House' },
    });
    const mine = await gql(w.api.url, `{ shelters(first: 10, mine: true) { edges { node { name } } } }`, {}, next);
    expect(mine.data.shelters.edges.map((e: any) => e.node.name).sort()).toEqual([
      'Harbor House North',
      'Harbor Open Door',
    ]);
    expect(errorCode(await gql(w.api.url, `{ referrals(first: 5) { edges { node { id } } } }`, {}, next))).toBe(
      'FORBIDDEN',
    );

    // a coordinator needs regions; given some, the role and regions change together
    const noRegions = await asAdmin(change, {
      id: mover.id,
      i: { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination },
    });
    expect(noRegions.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionIds' });
    const coordinator = await asAdmin(change, {
      id: mover.id,
      i: { role: 'REGIONAL_COORDINATOR', organisationId: w.orgs.coordination, regionIds: [w.regions.countyB] },
    });
    expect(coordinator.data.updateUser).toMatchObject({ role: 'REGIONAL_COORDINATOR', regions: [{ code: 'ST-B' }] });
    // back to another role: the regions go with the old one
    const admin2 = await asAdmin(change, { id: mover.id, i: { role: 'ADMIN', organisationId: null } });
    expect(admin2.data.updateUser).toEqual({ role: 'ADMIN', organisation: null, regions: [] });
    expect(await w.fx.count('user_region', 'user_id = $1', [mover.id])).toBe(0);

    // admins cannot change their own role
    const me = (await asAdmin(`{ me { id } }`)).data.me.id as string;
    const own = await asAdmin(change, { id: me, i: { role: 'HOTLINE_ADVOCATE', organisationId: w.orgs.agency } });
    expect(own.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    expect((await asAdmin(`{ me { role } }`)).data.me.role).toBe('ADMIN');

    // the trail says from what to what, nothing else about the person
    const trail = await w.fx.one<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_event WHERE kind = 'USER_UPDATED' AND subject_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [mover.id],
    );
    expect(trail.detail).toEqual({
      fields: 'role,organisationId',
      roleFrom: 'REGIONAL_COORDINATOR',
      roleTo: 'ADMIN',
      organisationFrom: w.orgs.coordination,
      organisationTo: 'none',
      regionsCleared: 1,
    });
  });

  it("moves shelter staff to another provider: their sign-ins end, and the old provider's pools are not found", async () => {
    const staff = await w.fx.user('moving.staff@example.org', 'SHELTER_STAFF', w.orgs.providerA);
    const before = await login(w.api.url, 'moving.staff@example.org', PASSWORD);
    // a pool's own history is for its provider's staff only
    const poolQuery = `query($id: ID!) { bedPoolEvents(poolId: $id) { edges { node { kind } } } }`;
    expect((await gql(w.api.url, poolQuery, { id: w.pools.a }, before)).errors).toBeUndefined();
    const moved = await admin(
      `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { role organisation { name } } }`,
      { id: staff, i: { organisationId: w.orgs.providerB } },
    );
    expect(moved.data.updateUser).toEqual({ role: 'SHELTER_STAFF', organisation: { name: 'Beacon Homes' } });
    expect(errorCode(await gql(w.api.url, `{ me { id } }`, {}, before))).toBe('UNAUTHENTICATED');
    const after = await login(w.api.url, 'moving.staff@example.org', PASSWORD);
    const mine = await gql(w.api.url, `{ shelters(first: 10, mine: true) { edges { node { name } } } }`, {}, after);
    expect(mine.data.shelters.edges.map((e: any) => e.node.name)).toEqual(['Beacon Home']);
    expect(errorCode(await gql(w.api.url, poolQuery, { id: w.pools.a }, after))).toBe('NOT_FOUND');
    expect((await gql(w.api.url, poolQuery, { id: w.pools.b }, after)).errors).toBeUndefined();
    const trail = await w.fx.one<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_event WHERE kind = 'USER_UPDATED' AND subject_id = $1`,
      [staff],
    );
    expect(trail.detail).toEqual({
      fields: 'organisationId',
      organisationFrom: w.orgs.providerA,
      organisationTo: w.orgs.providerB,
    });

    // the same organisation again changes nothing and signs no one out
    await admin(`mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`, {
      id: staff,
      i: { organisationId: w.orgs.providerB, role: 'SHELTER_STAFF' },
    });
    expect((await gql(w.api.url, `{ me { id } }`, {}, after)).data.me.id).toBe(staff);
  });

  it('two admins demoting each other at once leave one admin, never none', async () => {
    await w.fx.user('admin.two@example.org', 'ADMIN', null);
    await w.fx.user('admin.three@example.org', 'ADMIN', null);
    const two = await login(w.api.url, 'admin.two@example.org', PASSWORD);
    const three = await login(w.api.url, 'admin.three@example.org', PASSWORD);
    const ids = (await admin(`{ users { id email } }`)).data.users as { id: string; email: string }[];
    const idOf = (email: string) => ids.find((u) => u.email === email)!.id;
    // every other admin steps aside first (deactivated), so these two remain
    const others = (
      await w.fx.all<{ id: string }>(
        `SELECT id FROM app_user WHERE role = 'ADMIN' AND active AND email NOT IN ('admin.two@example.org', 'admin.three@example.org')`,
      )
    ).map((r) => r.id);
    for (const id of others) await gql(w.api.url, `mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id }, two);
    const demote = (token: string, id: string) =>
      gql(
        w.api.url,
        `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { role } }`,
        { id, i: { role: 'HOTLINE_ADVOCATE', organisationId: w.orgs.agency } },
        token,
      );
    const answers = await Promise.all([
      demote(two, idOf('admin.three@example.org')),
      demote(three, idOf('admin.two@example.org')),
    ]);
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    // the second finds itself no longer an admin (FORBIDDEN) or its token ended (UNAUTHENTICATED)
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(errorCode(answers.find((a) => a.errors)!));
    const remaining = await w.fx.one<{ n: string }>(
      `SELECT count(*) AS n FROM app_user WHERE role = 'ADMIN' AND active`,
    );
    expect(Number(remaining.n)).toBe(1);

    // the last admin cannot change their own role (and no one else is left to)
    const last = idOf(answers[0].errors ? 'admin.three@example.org' : 'admin.two@example.org');
    const lastToken = last === idOf('admin.two@example.org') ? two : three;
    const self = await demote(lastToken, last);
    expect(self.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    // the others come back for the other tests
    for (const id of others)
      await gql(w.api.url, `mutation($id: ID!) { reactivateUser(id: $id) { id } }`, { id }, lastToken);
    w.tokens.admin = await login(w.api.url, 'admin@example.org', PASSWORD);
  });

  it('assigns a coordinator regions, which then decide what they may watch', async () => {
    const updated = await admin(
      `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { regions { code } } }`,
      {
        id: w.users.coordinator,
        i: { regionIds: [w.regions.countyA, w.regions.countyB] },
      },
    );
    expect(updated.data.updateUser.regions.map((r: any) => r.code).sort()).toEqual(['ST-A', 'ST-B']);
    const rows = await w.fx.count('user_region', 'user_id = $1', [w.users.coordinator]);
    expect(rows).toBe(2);
  });
});
