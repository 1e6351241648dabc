import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ExportFileSystem } from '../../src/maintenance/export-file-system';
import { readExport } from '../support/export-files';
import { expectError, useResourceApp } from '../support/resource-api';
import { uniqueId } from '../support/test-app';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** Genesys's ExportServicesFile (docs/API.md §6.5): services, states and tasks as three JSON Lines files. */
describe('export to files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cs-export-files-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  describe('on a working disk', () => {
    const { api } = useResourceApp({ env: { EXPORT_DIR: directory } });

    it('writes the matching services, their states and their tasks, one object a line', async () => {
      const tenant = api.as(uniqueId('t'));
      const service = await tenant.startService({ Offer: [1] });
      const state = await tenant.startState(service, { Form: { a: 1 } });
      const task = await tenant.startTask(service, { state_id: state });
      const own = await tenant.startTask(service);
      await tenant.post(`/services/${service}/states/${state}/end`).expect(204);
      const other = await tenant.startService();

      const response = await tenant
        .post(`/maintenance/services/files?time_from=${EPOCH}&filter_state=active`)
        .expect(200);
      const created = (response.body as { created: string }).created.split(', ');
      expect(created).toHaveLength(3);
      for (const name of created) expect(name).toMatch(/^[A-Za-z0-9_.-]+$/);
      const [services, states, tasks] = created.map((name) => readExport(name, directory));
      expect(services).toEqual([
        expect.objectContaining({ service_id: service, Offer: [1] }),
        expect.objectContaining({ service_id: other }),
      ]);
      expect(services[0]).not.toHaveProperty('active_states');
      expect(states).toEqual([
        expect.objectContaining({ service_id: service, state_id: state, Form: { a: 1 } }),
      ]);
      // Active ones first, then completed ones (the state's completion completed its task).
      expect(tasks).toEqual([
        expect.objectContaining({ service_id: service, task_id: own }),
        expect.objectContaining({ service_id: service, task_id: task, state_id: state }),
      ]);
      expect(readdirSync(directory).filter((name) => name.endsWith('.partial'))).toEqual([]);
    });

    it('names the files of every call anew', async () => {
      const tenant = api.as(uniqueId('t'));
      const names = async () =>
        (
          (await tenant.post(`/maintenance/services/files?time_from=${EPOCH}`).expect(200))
            .body as { created: string }
        ).created;
      expect(await names()).not.toBe(await names());
    });

    it('refuses a bad query like the stream, writing nothing', async () => {
      const before = readdirSync(directory).length;
      expectError(await api.post('/maintenance/services/files'), 400, 'ValidationException');
      expectError(
        await api.post(`/maintenance/services/files?time_from=${EPOCH}&filter_state=all`),
        400,
        'ValidationException',
      );
      expect(readdirSync(directory)).toHaveLength(before);
    });
  });

  describe('when a write fails', () => {
    const failing = mkdtempSync(join(tmpdir(), 'cs-export-failing-'));
    afterAll(() => rmSync(failing, { recursive: true, force: true }));
    const real = new ExportFileSystem();
    const { api } = useResourceApp({
      env: { EXPORT_DIR: failing },
      override: (builder) =>
        builder.overrideProvider(ExportFileSystem).useValue({
          ensureDirectory: (path: string) => real.ensureDirectory(path),
          rename: (from: string, to: string) => real.rename(from, to),
          remove: (path: string) => real.remove(path),
          // The states file fails as a full disk would, once something was written to the others.
          create: (path: string) =>
            path.includes('-states.')
              ? new Writable({ write: (_chunk, _encoding, done) => done(new Error('ENOSPC')) })
              : real.create(path),
        }),
    });

    it('answers 503 and leaves no file behind, under its final name or another', async () => {
      const tenant = api.as(uniqueId('t'));
      const service = await tenant.startService();
      await tenant.startState(service);
      const response = await tenant.post(`/maintenance/services/files?time_from=${EPOCH}`);
      expectError(response, 503, 'ServiceUnavailableException');
      expect(readdirSync(failing)).toEqual([]);
    });
  });
});
