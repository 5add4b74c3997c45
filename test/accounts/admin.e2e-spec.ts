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
