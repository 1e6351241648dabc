import { ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { onServerDatabase } from './support/test-database';

/**
 * Writes under a service racing its deletion (docs/API.md §7): every child write locks the service row
 * first (JourneyScope.lockLiveService), so a write that loses the race answers 404 in the envelope, never a
 * 500 from the foreign key, and nothing it would have written is left behind. On MariaDB the requests run
 * concurrently on two instances sharing the database; the embedded engine runs them one after the other.
 */
describe('writes racing the deletion of their service', () => {
  jest.setTimeout(60_000);
  const apps: TestApp[] = [];
  const tenant = uniqueId('race-delete');
  const apiOf = (i: number) => new ResourceApi(() => apps[i % apps.length], tenant);

  beforeAll(async () => {
    apps.push(await createTestApp({ env: { SWEEP_INTERVAL: '0' } }));
    // Each embedded application has a database of its own: a second one would share nothing.
    if (onServerDatabase) apps.push(await createTestApp({ env: { SWEEP_INTERVAL: '0' } }));
  });

  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it.each([1, 2, 3, 4, 5])('round %i: each write is done or a 404, none a 500', async () => {
    const api = apiOf(0);
    const serviceId = await api.startService();
    const stateId = await api.startState(serviceId);
    const taskId = await api.startTask(serviceId, { state_id: stateId });
    const writes = (i: number) => {
      const at = apiOf(i);
      switch (i % 7) {
        case 0:
          return at.post(`/services/${serviceId}/states/start`, { state_type: 'Queue' });
        case 1:
          return at.post(`/services/${serviceId}/tasks/start`, { task_type: 'Route' });
        case 2:
          return at.post(`/services/${serviceId}/tasks/start`, {
            task_type: 'Route',
            state_id: stateId,
          });
        case 3:
          return at.put(`/services/${serviceId}/states/${stateId}/extensions/Note`, { n: i });
        case 4:
          return at.put(`/services/${serviceId}/tasks/${taskId}/extensions/Note/merge`, { n: i });
        case 5:
          return at.post(`/services/${serviceId}/notes`, { text: `note ${i}` });
        default:
          return at.post(`/services/${serviceId}/states/transition`, {
            from: { state_id: stateId },
            to: { state_type: 'Offer' },
          });
      }
    };
    const racing = Array.from({ length: 24 }, (_, i) => writes(i));
    racing.splice(12, 0, apiOf(1).delete(`/services/${serviceId}`));
    const answers = await Promise.all(racing);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 404)) {
      expect(answer.body).toMatchObject({ statusCode: 404, exception: 'NotFoundException' });
    }
    expect(statuses[12]).toBe(200);
    await api.get(`/services/${serviceId}`).expect(404);
    const orphans = await apps[0].dataSource.query<{ n: number | string }[]>(
      `SELECT (SELECT COUNT(*) FROM states WHERE service_id = ?) +
              (SELECT COUNT(*) FROM tasks WHERE service_id = ?) +
              (SELECT COUNT(*) FROM service_notes WHERE service_id = ?) AS n`,
      [serviceId, serviceId, serviceId],
    );
    expect(Number(orphans[0].n)).toBe(0);
  });
});
