import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { BASE, ResourceApi, useResourceApp } from '../support/resource-api';
import { exported, journeys, withoutIds } from '../support/imports';
import { minutesAgo, uniqueId } from '../support/test-app';

const IMPORT = '/maintenance/services/import';

interface ImportAnswer {
  imported: number;
  already_imported: number;
  refused_count: number;
  services: { source_service_id: string; service_id: number }[];
  refused: { line: number; source_service_id?: string; reason: string }[];
}

describe('import of exported services (docs/API.md §6.5)', () => {
  const { api } = useResourceApp({ env: { BODY_LIMIT: '2kb', IMPORT_MAX_BYTES: '64kb' } });

  const importText = (tenant: ResourceApi, text: string, type = 'application/json', query = '') =>
    tenant.call('post', `${IMPORT}${query}`).set('Content-Type', type).send(text);

  it('round-trips: export, import into another tenant, export again gives the same files but the ids', async () => {
    const source = api.as(uniqueId('source'));
    await journeys(source);
    const before = await exported(source);
    const target = api.as(uniqueId('target'));
    const response = await importText(target, before).expect(200);
    const answer = response.body as ImportAnswer;
    expect(answer).toMatchObject({
      imported: 3,
      already_imported: 0,
      refused_count: 0,
      refused: [],
    });
    expect(answer.services).toHaveLength(3);
    const after = await exported(target);
    expect(withoutIds(after)).toBe(withoutIds(before));
    expect(after).not.toBe(before);
    // The mapping names each source id with the id it got here.
    const sourceIds = [...before.matchAll(/\{"service_id":(\d+)/g)].map((m) => m[1]);
    expect(answer.services.map((m) => m.source_service_id)).toEqual(sourceIds);
    for (const { source_service_id, service_id } of answer.services) {
      await source.get(`/services/${service_id}`).expect(404);
      // Every read lists states and tasks in the source's order (ids here follow the source's ids).
      for (const list of ['states', 'tasks']) {
        const theirs = await source.read(`/services/${source_service_id}/${list}`);
        const ours = await target.read(`/services/${service_id}/${list}`);
        expect(withoutIds(JSON.stringify(ours))).toBe(withoutIds(JSON.stringify(theirs)));
      }
    }
  });

  it('imports JSON Lines past BODY_LIMIT, and importing again duplicates nothing', async () => {
    const source = api.as(uniqueId('source'));
    for (let i = 0; i < 12; i++) await journeys(source);
    const lines = (JSON.parse(await exported(source)) as unknown[])
      .map((service) => JSON.stringify(service))
      .join('\n');
    expect(lines.length).toBeGreaterThan(2048);
    const target = api.as(uniqueId('target'));
    const first = (await importText(target, lines, 'application/x-ndjson').expect(200))
      .body as ImportAnswer;
    expect(first).toMatchObject({ imported: 36, already_imported: 0, refused_count: 0 });
    const again = (await importText(target, lines, 'application/x-ndjson').expect(200))
      .body as ImportAnswer;
    expect(again).toMatchObject({ imported: 0, already_imported: 36, refused_count: 0 });
    expect(again.services).toEqual(first.services);
    // Another source name is another source: its ids are not those of the first.
    const other = (
      await importText(target, lines.split('\n')[1], 'application/x-ndjson', '?source=crm').expect(
        200,
      )
    ).body as ImportAnswer;
    expect(other.imported).toBe(1);
  });

  it('refuses bad lines with their number and reason, and imports the rest', async () => {
    const target = api.as(uniqueId('target'));
    const good = (id: number) =>
      JSON.stringify({
        service_id: id,
        customer_id: `c-${id}`,
        started: { timestamp: minutesAgo(20) },
        completed: { timestamp: minutesAgo(15) },
      });
    const text = [
      good(1),
      '{"service_id": 2, "started": ',
      JSON.stringify({ service_id: 3, customer_id: 'c' }),
      JSON.stringify({
        service_id: 4,
        started: { timestamp: minutesAgo(20) },
        active_tasks: [
          {
            task_id: 9,
            task_type: 'T',
            state_id: 77,
            started: { timestamp: minutesAgo(20) },
          },
        ],
      }),
      '',
      good(5),
    ].join('\n');
    const answer = (await importText(target, text, 'application/x-ndjson').expect(200))
      .body as ImportAnswer;
    expect(answer).toMatchObject({ imported: 2, refused_count: 3 });
    expect(answer.refused).toEqual([
      { line: 2, reason: expect.stringContaining('is not valid JSON') },
      { line: 3, source_service_id: '3', reason: 'started is required' },
      {
        line: 4,
        source_service_id: '4',
        reason: 'task 9: state_id 77 is not one of its states',
      },
    ]);
    expect(answer.services.map((m) => m.source_service_id)).toEqual(['1', '5']);
  });

  it('never creates a second active service for a key: that service is refused, the rest goes on', async () => {
    const target = api.as(uniqueId('target'));
    const here = await target.startService({ customer_id: 'cust-9', service_type: 'Sales' });
    const active = (id: number, customer: string) => ({
      service_id: id,
      customer_id: customer,
      service_type: 'Sales',
      started: { timestamp: minutesAgo(20) },
    });
    const answer = (
      await importText(
        target,
        JSON.stringify([active(1, 'cust-9'), active(2, 'cust-10'), active(3, 'cust-10')]),
      ).expect(200)
    ).body as ImportAnswer;
    expect(answer.imported).toBe(1);
    expect(answer.refused).toEqual([
      {
        line: 1,
        source_service_id: '1',
        reason: expect.stringContaining(`so is service ${here} here`),
      },
      {
        line: 3,
        source_service_id: '3',
        reason: expect.stringContaining('so is a service before it'),
      },
    ]);
    // The imported active service is the one composite start continues.
    const composite = await target
      .post('/services_composite/start', {
        services: [
          {
            service: { customer_id: 'cust-10', service_type: 'Sales' },
            state: { state_type: 'Identify' },
          },
        ],
      })
      .expect(200);
    expect(JSON.stringify(composite.body)).toContain(
      `"service":{"service_id":${answer.services[0].service_id},"created":"false"}`,
    );
  });

  it('keeps the source order of states, so that composite start continues the one the source would', async () => {
    const target = api.as(uniqueId('target'));
    const at = minutesAgo(20);
    const state = (id: number) => ({
      state_id: id,
      state_type: 'Identify',
      started: { timestamp: at },
      Id: id,
    });
    // Listed out of order, started at the same moment: the source's latest is its higher id, 9.
    const body = JSON.stringify([
      {
        service_id: 1,
        customer_id: 'tie',
        service_type: 'Sales',
        started: { timestamp: at },
        active_states: [state(9), state(5)],
      },
    ]);
    const [{ service_id }] = ((await importText(target, body).expect(200)).body as ImportAnswer)
      .services;
    const composite = await target
      .post('/services_composite/start', {
        services: [
          {
            service: { customer_id: 'tie', service_type: 'Sales' },
            state: { state_type: 'Identify' },
          },
        ],
      })
      .expect(200);
    const { state_id } = (composite.body as { services: { state: { state_id: number } }[] })
      .services[0].state;
    const continued = await target.read(`/services/${service_id}/states/${state_id}?extensions=Id`);
    expect(continued.Id).toBe(9);
  });

  it('answers 413 past IMPORT_MAX_BYTES, keeping the whole services before it', async () => {
    const target = api.as(uniqueId('target'));
    const service = (id: number) =>
      JSON.stringify({
        service_id: id,
        customer_id: `c-${id}`,
        started: { timestamp: minutesAgo(20) },
        completed: { timestamp: minutesAgo(15) },
        Padding: 'p'.repeat(900),
      });
    const text = Array.from({ length: 120 }, (_, i) => service(i + 1)).join('\n');
    // Told by its length, it is refused before a byte is read.
    const told = await importText(target, text, 'application/x-ndjson');
    expect(told.status).toBe(413);
    expect(told.body.message).toBe('request body is larger than IMPORT_MAX_BYTES (65536 bytes)');
    // Compressed, its length says nothing: the import stops where the limit falls.
    const response = await target
      .call('post', IMPORT)
      .set('Content-Type', 'application/x-ndjson')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(text));
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(
      /IMPORT_MAX_BYTES .* the \d+ services before that point were imported whole/,
    );
    const imported = Number(/the (\d+) services/.exec(response.body.message as string)?.[1]);
    expect(imported).toBeGreaterThan(0);
    // Importing again is safe: what was stored is found, the rest is stored.
    const lines = text.split('\n');
    const again = (
      await importText(target, lines.slice(0, imported).join('\n'), 'application/x-ndjson').expect(
        200,
      )
    ).body as ImportAnswer;
    expect(again).toMatchObject({ already_imported: imported, imported: 0 });
    const rest = (
      await importText(target, lines.slice(imported).join('\n'), 'application/x-ndjson').expect(200)
    ).body as ImportAnswer;
    expect(rest).toMatchObject({ already_imported: 0, imported: 120 - imported });
  });

  it('refuses what is not an import body', async () => {
    const target = api.as(uniqueId('target'));
    expect((await importText(target, '{"service_id": 1}').expect(200)).body).toMatchObject({
      imported: 0,
      refused: [{ line: 1, reason: 'the body must be a JSON array of services (or JSON Lines)' }],
    });
    await importText(target, '[]', 'application/xml').expect(415);
    await target
      .call('post', `${IMPORT}?source=a%20b`)
      .set('Content-Type', 'application/json')
      .send('[]')
      .expect(400);
  });
});

describe('import and roles', () => {
  const keys = { admin: 'admin-key-0123456789abcdef', writer: 'writer-key-0123456789abcdef' };
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  const { app } = useResourceApp({
    env: { API_KEYS: `a:admin:${sha256(keys.admin)},w:writer:${sha256(keys.writer)}` },
  });

  it('takes the admin role', async () => {
    const send = (key: string) =>
      request(app().server)
        .post(`${BASE}${IMPORT}`)
        .set('X-API-Key', key)
        .set('Content-Type', 'application/json')
        .send('[]');
    expect((await send(keys.writer)).status).toBe(403);
    expect((await send(keys.admin)).status).toBe(200);
  });
});
