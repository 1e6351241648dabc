import { expectError, useResourceApp } from './support/resource-api';
import { uniqueId } from './support/test-app';

/**
 * The notes of a service (docs/API.md §4.5): added, listed oldest first and paged, read one by one, scoped to
 * the tenant and to their service, refused on a service that is not there, deleted with their service.
 */
describe('service notes', () => {
  const { app, api } = useResourceApp({ env: { SWEEP_INTERVAL: '0' } });

  it('adds a note with its Location, and reads it back', async () => {
    const serviceId = await api.startService();
    const added = await api
      .post(`/services/${serviceId}/notes`, { text: 'Call back after 6 pm', author: 'agent-7' })
      .expect(201);
    const noteId = added.body.note_id as number;
    expect(added.headers.location).toBe(`/genesys/1/cs/services/${serviceId}/notes/${noteId}`);
    const note = await api.get(`/services/${serviceId}/notes/${noteId}`).expect(200);
    expect(note.body).toEqual({
      note_id: noteId,
      service_id: serviceId,
      text: 'Call back after 6 pm',
      author: 'agent-7',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });

  it('lists a service’s notes oldest first, paged, and only its own', async () => {
    const [serviceId, other] = [await api.startService(), await api.startService()];
    for (const text of ['first', 'second', 'third']) {
      await api.post(`/services/${serviceId}/notes`, { text }).expect(201);
    }
    await api.post(`/services/${other}/notes`, { text: 'elsewhere' }).expect(201);
    const all = await api.get(`/services/${serviceId}/notes`).expect(200);
    expect(all.body.map((n: { text: string }) => n.text)).toEqual(['first', 'second', 'third']);
    const page = await api.get(`/services/${serviceId}/notes?limit=1&offset=1`).expect(200);
    expect(page.body.map((n: { text: string }) => n.text)).toEqual(['second']);
    const foreign = all.body[0].note_id as number;
    const response = await api.get(`/services/${other}/notes/${foreign}`).expect(404);
    expect(response.body.message).toBe(`note ${foreign} is not a note of service ${other}`);
  });

  it('takes notes on a completed service too', async () => {
    const serviceId = await api.startService();
    await api.post(`/services/${serviceId}/end`, {}).expect(204);
    await api.post(`/services/${serviceId}/notes`, { text: 'after the call' }).expect(201);
  });

  it.each([
    ['no text', {}, 'text'],
    ['empty text', { text: '' }, 'text'],
    ['text too long', { text: 'x'.repeat(2001) }, 'text'],
    ['an author that is not text', { text: 'ok', author: 7 }, 'author'],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_case, body, field) => {
    const serviceId = await api.startService();
    const response = await api.expectRejected(
      api.post(`/services/${serviceId}/notes`, body),
      400,
      'ValidationException',
    );
    expect(response.body.details).toEqual([expect.objectContaining({ path: field })]);
    expect((await api.get(`/services/${serviceId}/notes`).expect(200)).body).toEqual([]);
  });

  it("answers 404 for another tenant's service, and for a service that is not there", async () => {
    const serviceId = await api.startService();
    const response = await api
      .as(uniqueId('other'))
      .post(`/services/${serviceId}/notes`, { text: 'x' });
    expectError(response, 404, 'NotFoundException');
    expectError(await api.get('/services/999999999/notes'), 404, 'NotFoundException');
  });

  it('deletes the notes with their service', async () => {
    const serviceId = await api.startService();
    await api.post(`/services/${serviceId}/notes`, { text: 'gone soon' }).expect(201);
    await api.delete(`/services/${serviceId}`).expect(200);
    const rows = await app().dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM service_notes WHERE service_id = ?',
      [serviceId],
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
