import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { ExportFileSystem } from '../../src/maintenance/export-file-system';
import { SweeperService } from '../../src/maintenance/sweeper.service';
import { readExport } from '../support/export-files';
import { BASE, expectError, useResourceApp } from '../support/resource-api';
import { createTestApp, uniqueId } from '../support/test-app';

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
      await tenant.startService();
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
          directoryProblem: (path: string) => real.directoryProblem(path),
          list: (path: string, matches: (name: string) => boolean) => real.list(path, matches),
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

describe('export files are bounded', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cs-export-bounded-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const { api, app } = useResourceApp({
    env: {
      EXPORT_DIR: directory,
      EXPORT_RETENTION: '1h',
      EXPORT_MAX_FILES: '6',
      SWEEP_INTERVAL: '0',
    },
  });
  const HOUR = 3_600_000;
  /** A file named as an export, last written `ageMs` ago. */
  const file = (name: string, ageMs: number) => {
    writeFileSync(join(directory, name), '{}\n');
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(join(directory, name), at, at);
  };
  const stem = (n: number) => `export-20261201T2045${String(n).padStart(2, '0')}-345Z-9f86d081`;

  it('writes no file for an export that selects nothing, and says so', async () => {
    const before = readdirSync(directory).length;
    const response = await api
      .as(uniqueId('empty'))
      .post(`/maintenance/services/files?time_from=${EPOCH}`)
      .expect(200);
    expect(response.body).toEqual({
      created: '',
      message: 'no service matched the query; no file was written',
    });
    expect(readdirSync(directory)).toHaveLength(before);
  });

  it('removes, at each sweep, files past EXPORT_RETENTION, then the oldest past EXPORT_MAX_FILES, and only export files', async () => {
    for (const name of readdirSync(directory)) rmSync(join(directory, name));
    file(`${stem(1)}-services.jsonl`, 2 * HOUR); // past the retention
    file(`${stem(2)}-tasks.jsonl.partial`, 30 * HOUR); // abandoned by a crash
    for (let n = 3; n <= 10; n++) file(`${stem(n)}-states.jsonl`, (20 - n) * 60_000);
    file('notes.txt', 10 * HOUR); // not an export: never touched
    const result = await app().app.get(SweeperService).sweep();
    expect(result.exportFilesRemoved).toBe(4);
    expect(readdirSync(directory).sort()).toEqual([
      ...[5, 6, 7, 8, 9, 10].map((n) => `${stem(n)}-states.jsonl`),
      'notes.txt',
    ]);
  });

  it('answers 503 naming the reason when EXPORT_DIR went bad after the boot, writing nothing', async () => {
    const gone = mkdtempSync(join(tmpdir(), 'cs-export-gone-'));
    const t = await createTestApp({ env: { EXPORT_DIR: gone, SWEEP_INTERVAL: '0' } });
    try {
      rmSync(gone, { recursive: true });
      writeFileSync(gone, 'a file where the directory was');
      const response = await request(t.server).post(
        `${BASE}/maintenance/services/files?time_from=${EPOCH}`,
      );
      expectError(response, 503, 'ServiceUnavailableException');
      expect(response.body.message).toContain('is not a directory');
    } finally {
      await t.close();
      rmSync(gone, { force: true });
    }
  });

  it.each([
    ['/proc/self', 'is under /proc'],
    ['/sys/kernel/exports', 'is under /proc, /sys, /dev'],
  ])('stops the boot naming EXPORT_DIR=%s', async (dir, reason) => {
    await expect(createTestApp({ env: { EXPORT_DIR: dir } })).rejects.toThrow(
      new RegExp(`EXPORT_DIR: .*${reason.split(',')[0]}`),
    );
  });

  it('stops the boot when EXPORT_DIR is a file', async () => {
    const path = join(directory, 'plain-file');
    writeFileSync(path, '');
    await expect(createTestApp({ env: { EXPORT_DIR: path } })).rejects.toThrow(
      /EXPORT_DIR: .*(not a directory|cannot be written)/,
    );
  });
});
