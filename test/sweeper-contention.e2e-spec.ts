import { mkdirSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { BASE } from './support/resource-api';
import { onServerDatabase } from './support/test-database';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

const SECONDS = 8;
const CLIENTS = 12;

/**
 * Two instances sweeping every second while 12 clients merge extension keys into services and their
 * states that expire under them, so that the sweepers delete them (with their states) mid-load
 * (docs/API.md §6.3): a merge that loses a lock race is run again and never answers 500, and no key
 * answered 200 is lost while its service lives. The counts go to test-results/sweeper-contention.json.
 */
(onServerDatabase ? describe : describe.skip)(
  'extension merges against two sweeping instances',
  () => {
    let apps: TestApp[];

    beforeAll(async () => {
      const env = { SWEEP_INTERVAL: '1s' };
      apps = [await createTestApp({ env }), await createTestApp({ env })];
    });

    afterAll(async () => {
      for (const app of apps ?? []) await app.close();
    });

    const retries = async (app: TestApp) => {
      const text = (await request(app.server).get('/metrics').expect(200)).text;
      return [...text.matchAll(/^cs_transaction_retries_total\{reason="(\w+)"\} (\d+)/gm)].reduce(
        (all, [, reason, count]) => ({ ...all, [reason]: (all[reason] ?? 0) + Number(count) }),
        {} as Record<string, number>,
      );
    };

    it('answers every merge without a 5xx and keeps every merged key while its service lives', async () => {
      const tenant = { ContactCenterId: uniqueId('contention') };
      const statuses: Record<string, number> = {};
      const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
      const lost: string[] = [];
      // Each client works in a journey that expires a second or two after it starts (ttl), which the
      // sweepers then delete with its states while merges into them are under way; a 404 means it is gone,
      // and the client starts the next one.
      const journey = async (app: TestApp) => {
        const service = await request(app.server)
          .post(`${BASE}/services/start`)
          .set(tenant)
          .send({ customer_id: uniqueId(), ttl: 1 + Math.floor(Math.random() * 2) })
          .expect(201);
        const id = service.body.service_id as number;
        const state = await request(app.server)
          .post(`${BASE}/services/${id}/states/start`)
          .set(tenant)
          .send({ state_type: 'Queue' })
          .expect(201);
        return [`/services/${id}`, `/services/${id}/states/${state.body.state_id as number}`];
      };
      const deadline = Date.now() + SECONDS * 1000;
      // Clients work in pairs on one journey; the second of a pair also completes its service now and then
      // (which completes its states, as the sweepers' auto-complete does), and both move to a new journey.
      const journeys: string[][] = [];
      for (let pair = 0; pair < CLIENTS / 2; pair++) journeys.push(await journey(apps[pair % 2]));
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const app = apps[client % 2];
          const pair = Math.floor(client / 2);
          for (let n = 0; Date.now() < deadline; n++) {
            const targets = journeys[pair];
            if (client % 2 === 1 && n % 25 === 24) {
              count(
                (await request(app.server).post(`${BASE}${targets[0]}/end`).set(tenant)).status,
              );
              if (journeys[pair] === targets) journeys[pair] = await journey(app);
              continue;
            }
            const target = targets[n % 2];
            const key = `c${client}n${n}`;
            const response = await request(app.server)
              .put(`${BASE}${target}/extensions/Progress/merge`)
              .set(tenant)
              .send({ [key]: n });
            count(response.status);
            if (response.status === 200) {
              const read = await request(app.server)
                .get(`${BASE}${target}?extensions=Progress`)
                .set(tenant);
              if (
                read.status === 200 &&
                !(key in ((read.body as { Progress?: object }).Progress ?? {}))
              )
                lost.push(key);
            }
            if (response.status === 404 && journeys[pair] === targets)
              journeys[pair] = await journey(app);
          }
        }),
      );
      const counts = {
        statuses,
        lost: lost.length,
        retries: [await retries(apps[0]), await retries(apps[1])],
      };
      mkdirSync('test-results', { recursive: true });
      writeFileSync('test-results/sweeper-contention.json', `${JSON.stringify(counts)}\n`);
      console.log(JSON.stringify(counts));
      expect(Object.keys(statuses).filter((status) => Number(status) >= 500)).toEqual([]);
      expect(lost).toEqual([]);
    }, 60_000);
  },
);
