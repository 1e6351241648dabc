import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exported, journeys, withoutIds } from '../support/imports';
import { ResourceApi } from '../support/resource-api';
import { createTestApp, minutesAgo, TestApp, uniqueId } from '../support/test-app';
import { ensureDatabase, onServerDatabase, workerDatabaseUrl } from '../support/test-database';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** The CLI as `npm run import` runs it, from the sources (ts-node), so that no build is needed. */
function importCli(url: string, args: string[]) {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/imports/import-cli.ts', ...args],
    { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, stdio: 'pipe' },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { child, done, stdout: () => stdout };
}

/**
 * `npm run import` (docs/API.md §6.5): the three export files, JSON Lines or CSV, into another tenant. The
 * application is closed while the CLI runs, as the embedded engine's file needs (one process at a time).
 */
describe('npm run import', () => {
  // Each run of the CLI boots an application context from the sources.
  jest.setTimeout(120_000);
  const directory = mkdtempSync(join(tmpdir(), 'cs-import-cli-'));
  const url = onServerDatabase ? workerDatabaseUrl() : `sqlite:${join(directory, 'cs.sqlite')}`;
  let t: TestApp | undefined;
  const open = async () => {
    if (onServerDatabase) await ensureDatabase(url);
    t = await createTestApp({ databaseUrl: url, env: { EXPORT_DIR: directory } });
    return new ResourceApi(() => t!);
  };
  const close = async () => {
    await t?.close();
    t = undefined;
  };
  afterAll(async () => {
    await close();
    rmSync(directory, { recursive: true, force: true });
  });

  it.each(['json', 'csv'])(
    'imports the three %s files of an export, every field kept, and a second run stores nothing',
    async (format) => {
      const api = await open();
      const source = api.as(uniqueId('source'));
      await journeys(source);
      await journeys(source);
      const before = await exported(source);
      const created = (
        await source
          .post(`/maintenance/services/files?time_from=${EPOCH}&format=${format}`)
          .expect(200)
      ).body as { created: string };
      const files = created.created.split(', ').map((name) => join(directory, name));
      await close();

      const target = uniqueId('target');
      const first = await importCli(url, [...files, '--tenant', target]).done;
      expect(first.stderr).toContain('imported 6, already imported 0, refused 0');
      expect(first.status).toBe(0);
      const mappings = first.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { source_service_id: string; service_id: number });
      expect(mappings).toHaveLength(6);
      const again = await importCli(url, [...files, '--tenant', target]).done;
      expect(again.stderr).toContain('imported 0, already imported 6, refused 0');

      const reopened = await open();
      const after = await exported(reopened.as(target));
      expect(withoutIds(after)).toBe(withoutIds(before));
      await close();
    },
  );

  it('refuses bad rows with their file and line, imports the rest, and exits 2', async () => {
    const services = join(directory, 'bad_services.json');
    const states = join(directory, 'bad_states.json');
    const tasks = join(directory, 'bad_tasks.json');
    const at = minutesAgo(20);
    writeFileSync(
      services,
      [1, 2, 3]
        .map((id) =>
          JSON.stringify({ service_id: id, customer_id: `c-${id}`, started: { timestamp: at } }),
        )
        .join('\n'),
    );
    writeFileSync(
      states,
      [
        JSON.stringify({
          service_id: 1,
          state_id: 10,
          state_type: 'A',
          started: { timestamp: at },
        }),
        '{"service_id": 2, "state_id": ',
        JSON.stringify({
          service_id: 9,
          state_id: 11,
          state_type: 'A',
          started: { timestamp: at },
        }),
      ].join('\n'),
    );
    writeFileSync(tasks, '');
    const result = await importCli(url, [services, states, tasks, '--tenant', uniqueId('t')]).done;
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('imported 2, already imported 0, refused 2');
    // A row that cannot be read refuses the service being joined where it lies: it cannot be whole.
    expect(result.stderr).toContain(
      '{"line":1,"file":"bad_services.json","reason":"bad_states.json line 2 is not valid JSON',
    );
    expect(result.stderr).toContain(
      '"line":3,"file":"bad_states.json","reason":"names service 9, which is not the service at its place',
    );
  });

  it('leaves only whole services when killed (kill -9), and a rerun completes without duplicates', async () => {
    const file = join(directory, 'history.jsonl');
    const at = (minute: number) => minutesAgo(20 - minute);
    const lines: string[] = [];
    for (let id = 1; id <= 3000; id++) {
      lines.push(
        JSON.stringify({
          service_id: id,
          customer_id: `c-${id}`,
          started: { timestamp: at(0) },
          completed: { timestamp: at(9) },
          completed_states: [1, 2, 3].map((n) => ({
            state_id: n,
            state_type: `S${n}`,
            started: { timestamp: at(n) },
            completed: { timestamp: at(n + 1) },
          })),
          completed_tasks: [1, 2].map((n) => ({
            task_id: n,
            task_type: `T${n}`,
            state_id: n,
            started: { timestamp: at(n) },
            completed: { timestamp: at(n + 1) },
          })),
          Note: { id },
        }),
      );
    }
    writeFileSync(file, lines.join('\n'));
    const tenant = uniqueId('killed');
    const run = importCli(url, [file, '--tenant', tenant]);
    // Killed once some batches are committed, and long before the last.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (run.stdout().split('\n').length > 400) {
          clearInterval(timer);
          run.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      void run.done.then(() => {
        clearInterval(timer);
        reject(new Error('the import ended before it could be killed'));
      });
    });
    await run.done;

    const counts = async () => {
      const api = await open();
      const [row] = await t!.dataSource.query<Record<string, number | string>[]>(
        'SELECT (SELECT COUNT(*) FROM services WHERE tenant_id = ?) AS services, ' +
          '(SELECT COUNT(*) FROM states WHERE tenant_id = ?) AS states, ' +
          '(SELECT COUNT(*) FROM tasks WHERE tenant_id = ?) AS tasks, ' +
          '(SELECT COUNT(*) FROM service_sources WHERE tenant_id = ?) AS sources',
        [tenant, tenant, tenant, tenant],
      );
      void api;
      await close();
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
    };
    const cut = await counts();
    expect(cut.services).toBeGreaterThan(0);
    expect(cut.services).toBeLessThan(3000);
    expect(cut).toEqual({
      services: cut.services,
      states: 3 * cut.services,
      tasks: 2 * cut.services,
      sources: cut.services,
    });

    const rerun = await importCli(url, [file, '--tenant', tenant]).done;
    expect(rerun.status).toBe(0);
    expect(rerun.stderr).toContain(
      `imported ${3000 - cut.services}, already imported ${cut.services}, refused 0`,
    );
    expect(await counts()).toEqual({ services: 3000, states: 9000, tasks: 6000, sources: 3000 });
  });
});
