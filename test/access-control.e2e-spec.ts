import { Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import {
  API,
  apiOperations,
  callOperation,
  createJourney,
  expectEnvelope,
  label,
  Operation,
} from './support/api-routes';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

const ROLES = ['reader', 'writer', 'admin'] as const;
type Role = (typeof ROLES)[number];

/** What docs/API.md §6.2 says: reads for readers, deletions, expiration and maintenance for admins. */
function requiredRole(op: Operation): Role {
  if (
    op.path.startsWith('/maintenance/') ||
    op.method === 'delete' ||
    (op.method === 'put' && op.path === '/services/{service_id}')
  )
    return 'admin';
  return op.method === 'get' ? 'reader' : 'writer';
}

const newKey = () => randomBytes(24).toString('base64url');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

const keys = {
  reader: newKey(),
  writer: newKey(),
  admin: newKey(),
  restricted: newKey(),
};
const API_KEYS = [
  ...ROLES.map((role) => `${role}-app:${role}:${sha256(keys[role])}`),
  `ivr:writer:${sha256(keys.restricted)}:acme|globex`,
].join(',');

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const BUSINESS_ATTRIBUTES_FILE = 'config/business-attributes.example.json';

/** Rows of the service and everything in it. */
async function rowsOf(t: TestApp, serviceId: number): Promise<unknown[]> {
  return [
    await t.dataSource.query('SELECT * FROM services WHERE id = ?', [serviceId]),
    await t.dataSource.query('SELECT * FROM states WHERE service_id = ? ORDER BY id', [serviceId]),
    await t.dataSource.query('SELECT * FROM tasks WHERE service_id = ? ORDER BY id', [serviceId]),
  ];
}

/**
 * Calls every operation with these headers and returns what differs from `expected(op)`: a success (2xx), or
 * a refusal that changed nothing. Calls expected to change something get a journey of their own (made with
 * the `setup` headers); the others share one, which must be unchanged at the end.
 */
async function sweepOperations(
  t: TestApp,
  operations: Operation[],
  setup: Record<string, string>,
  headers: Record<string, string>,
  expected: (op: Operation) => 'success' | 401 | 403,
): Promise<string[]> {
  const journey = () => createJourney(t.server, setup, uniqueId('cust'), uniqueId('key'));
  const shared = await journey();
  const before = await rowsOf(t, shared.serviceId);
  const wrong: string[] = [];
  for (const op of operations) {
    const want = expected(op);
    const ids = want === 'success' && op.method !== 'get' ? await journey() : shared;
    const response = await callOperation(t.server, op, ids, headers);
    if (want === 'success') {
      if (response.status >= 300) wrong.push(`${label(op)}: ${response.status}, not a success`);
    } else if (response.status !== want) {
      wrong.push(`${label(op)}: ${response.status}, not ${want}`);
    } else {
      expectEnvelope(response.body, want);
    }
  }
  expect(await rowsOf(t, shared.serviceId)).toEqual(before);
  return wrong;
}

describe('access control with API_KEYS', () => {
  let t: TestApp;
  let operations: Operation[];
  let tenantId: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', API_KEYS, BUSINESS_ATTRIBUTES_FILE } });
    operations = await apiOperations(t.server);
  });

  beforeEach(() => {
    tenantId = uniqueId('tenant');
    admin = { ...bearer(keys.admin), ContactCenterId: tenantId };
  });

  afterAll(async () => {
    await t.close();
  });

  it('classifies the operations as the roles expect', () => {
    const byRole = (role: Role) => operations.filter((op) => requiredRole(op) === role).map(label);
    expect(byRole('admin')).toEqual(
      expect.arrayContaining([
        'DELETE /services/{service_id}',
        'PUT /services/{service_id}',
        'POST /maintenance/purge',
        'GET /maintenance/services/stream',
      ]),
    );
    expect(byRole('writer')).toEqual(
      expect.arrayContaining([
        'POST /services_composite/start',
        'POST /services/start',
        'POST /services/{service_id}/end',
        'PUT /services/{service_id}/extensions/{name}',
        'POST /services/{service_id}/states/transition',
        'POST /customers/{customer_id}/services/{service_id}',
      ]),
    );
    expect(byRole('reader').length).toBeGreaterThanOrEqual(17);
  });

  it.each(ROLES)(
    'the %s key may call what its role allows, and gets 403 for the rest',
    async (role) => {
      const headers = { ...bearer(keys[role]), ContactCenterId: tenantId };
      const rank = (r: Role) => ROLES.indexOf(r);
      const wrong = await sweepOperations(t, operations, admin, headers, (op) =>
        rank(role) >= rank(requiredRole(op)) ? 'success' : 403,
      );
      expect(wrong).toEqual([]);
    },
  );

  it.each([
    ['no key', {}],
    ['an unknown key', bearer(newKey())],
    ['an unknown X-API-Key', { 'X-API-Key': newKey() }],
    ['a malformed Authorization header', { Authorization: `Basic ${keys.admin}` }],
  ])('answers 401 to every operation with %s', async (_name, credentials) => {
    const wrong = await sweepOperations(
      t,
      operations,
      admin,
      { ...credentials, ContactCenterId: tenantId },
      () => 401,
    );
    expect(wrong).toEqual([]);
  });

  it.each([
    ['Authorization: Bearer', (key: string) => bearer(key)],
    ['Authorization: bearer (any case)', (key: string) => ({ Authorization: `bearer ${key}` })],
    ['X-API-Key', (key: string) => ({ 'X-API-Key': key })],
  ])('accepts the key in %s', async (_name, credentials) => {
    const ids = await createJourney(t.server, admin, uniqueId('cust'), uniqueId('key'));
    await request(t.server)
      .get(`${API}/services/${ids.serviceId}`)
      .set({ ...credentials(keys.reader), ContactCenterId: tenantId })
      .expect(200);
    await request(t.server)
      .post(`${API}/services/${ids.serviceId}/end`)
      .set({ ...credentials(keys.writer), ContactCenterId: tenantId })
      .send({})
      .expect(204);
  });

  describe('a key restricted to tenants acme and globex', () => {
    const start = (headers: Record<string, string>) =>
      request(t.server)
        .post(`${API}/services/start`)
        .set({ ...bearer(keys.restricted), ...headers })
        .send({ customer_id: uniqueId() });

    it.each(['acme', 'globex'])('acts for %s', async (tenant) => {
      await start({ ContactCenterId: tenant }).expect(201);
    });

    it.each([
      ['another tenant', { ContactCenterId: 'initech' }],
      ['the default tenant (no header)', {}],
    ])('gets 403 for %s', async (_name, headers) => {
      const response = await start(headers).expect(403);
      expectEnvelope(response.body, 403, 'ForbiddenException');
    });

    it('keeps its role on its tenants', async () => {
      const ids = await createJourney(
        t.server,
        { ...bearer(keys.admin), ContactCenterId: 'acme' },
        uniqueId('cust'),
        uniqueId('key'),
      );
      const response = await request(t.server)
        .delete(`${API}/services/${ids.serviceId}`)
        .set({ ...bearer(keys.restricted), ContactCenterId: 'acme' })
        .expect(403);
      expectEnvelope(response.body, 403, 'ForbiddenException');
    });
  });

  it.each(ROLES)('tells a %s key who it is on GET /access/me, changing nothing', async (role) => {
    const response = await request(t.server)
      .get(`${API}/access/me`)
      .set({ ...bearer(keys[role]), ContactCenterId: tenantId, GroupId: 'desk-1' })
      .expect(200);
    expect(response.body).toEqual({
      tenant: tenantId,
      group_id: 'desk-1',
      role,
      principal: { kind: 'api_key', name: `${role}-app` },
      access_control: true,
      tenants: null,
    });
  });

  it("lists a restricted key's tenants on GET /access/me", async () => {
    const response = await request(t.server)
      .get(`${API}/access/me`)
      .set({ ...bearer(keys.restricted), ContactCenterId: 'globex' })
      .expect(200);
    expect(response.body).toMatchObject({
      tenant: 'globex',
      role: 'writer',
      tenants: ['acme', 'globex'],
    });
  });

  it.each(['/health', '/docs-json'])('keeps %s open without a key', async (path) => {
    await request(t.server).get(path).expect(200);
  });
});

describe('access control without API_KEYS', () => {
  let t: TestApp;

  let warnings: string[];

  beforeAll(async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0', BUSINESS_ATTRIBUTES_FILE } });
    warnings = warn.mock.calls.map(([message]) => String(message));
    warn.mockRestore();
  });

  afterAll(async () => {
    await t.close();
  });

  it('is off: every operation succeeds without a key', async () => {
    const headers = { ContactCenterId: uniqueId('tenant') };
    const operations = await apiOperations(t.server);
    expect(await sweepOperations(t, operations, headers, headers, () => 'success')).toEqual([]);
  });

  it('says so in a warning at boot', () => {
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/API_KEYS/)]));
  });

  it('answers GET /access/me for anyone: admin, anonymous, the default tenant without the header', async () => {
    const response = await request(t.server).get(`${API}/access/me`).expect(200);
    expect(response.body).toEqual({
      tenant: 'default',
      role: 'admin',
      principal: { kind: 'anonymous' },
      access_control: false,
      tenants: null,
    });
  });

  it('ignores a key nobody configured', async () => {
    await request(t.server)
      .post(`${API}/services/start`)
      .set(bearer(newKey()))
      .send({ customer_id: uniqueId() })
      .expect(201);
  });
});
