/**
 * The bare server of `npm run bench`: composite start as plainly as Node allows, to measure the service
 * against. `node:http` and a `mysql2` pool, no framework and no validation library; each event is the
 * floor's own find-or-create per level (bench/lib/floor.ts), in its own transaction, about nine round trips.
 * It reads only what the bench sends (the customer of each event) and answers as the service does.
 * Settings: DATABASE_URL (MariaDB/MySQL), PORT, DB_POOL_SIZE.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { createPool, Pool } from 'mysql2/promise';
import { transientReasonOf } from '../src/database/database-errors';
import { connectionOptions, floorEvent } from './lib/floor';
import { COMPOSITE_PATH } from './lib/workload';

function poolFor(databaseUrl: string, size: number): Pool {
  const pool = createPool({ ...connectionOptions(databaseUrl), connectionLimit: size });
  // Once per connection, as the service does.
  pool.on('connection', (connection) => {
    void connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });
  return pool;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const flag = (created: boolean) => (created ? 'true' : 'false');

async function compositeStart(pool: Pool, text: string) {
  const { services } = JSON.parse(text) as { services: { service: { customer_id: string } }[] };
  const results = [];
  for (const event of services) {
    for (let attempt = 1; ; attempt++) {
      const connection = await pool.getConnection();
      try {
        const { service, state, task } = await floorEvent(
          connection,
          event.service.customer_id,
          Date.now(),
        );
        results.push({
          service: { service_id: service[0], created: flag(service[1]) },
          state: { state_id: state[0], created: flag(state[1]) },
          task: { task_id: task[0], created: flag(task[1]) },
        });
        break;
      } catch (error) {
        if (!transientReasonOf(error) || attempt >= 5) throw error;
      } finally {
        connection.release();
      }
    }
  }
  return results;
}

function answer(response: ServerResponse, status: number, body: unknown, location?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...(location && { Location: location }),
  });
  response.end(text);
}

const pool = poolFor(process.env.DATABASE_URL ?? '', Number(process.env.DB_POOL_SIZE ?? 16));
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health')
    return answer(response, 200, { status: 'ok' });
  if (request.method !== 'POST' || request.url !== COMPOSITE_PATH) return answer(response, 404, {});
  readBody(request)
    .then((text) => compositeStart(pool, text))
    .then((results) => {
      const [first] = results;
      answer(
        response,
        200,
        { services: results },
        `/genesys/1/cs/services/${first.service.service_id}/tasks/${first.task.task_id}`,
      );
    })
    .catch((error: unknown) => answer(response, 500, { message: String(error) }));
});
server.listen(Number(process.env.PORT ?? 3901), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
