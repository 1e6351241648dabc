import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { ExportFileSystem } from '../../src/maintenance/export-file-system';
import { SweeperService } from '../../src/maintenance/sweeper.service';
import { readCsvExport, readExport } from '../support/export-files';
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
      // Genesys's names: export<yyyyMMdd>_<HHmmss>_<SSS>_<kind>.json, one stem for the three, in UTC.
      const stem = created[0].slice(0, 'export20261201_204512_345'.length);
      expect(created).toEqual([
        `${stem}_services.json`,
        `${stem}_states.json`,
        `${stem}_tasks.json`,
      ]);
      const [, date, clock, millis] = /^export(\d{8})_(\d{6})_(\d{3})$/.exec(stem) ?? [];
      const at = Date.parse(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T${clock.slice(0, 2)}:` +
          `${clock.slice(2, 4)}:${clock.slice(4)}.${millis}Z`,
      );
      expect(Math.abs(Date.now() - at)).toBeLessThan(60_000);
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

    it('names the files of every call anew, within the same millisecond too', async () => {
      const tenant = api.as(uniqueId('t'));
      await tenant.startService();
      const created = async () =>
        (
          (await tenant.post(`/maintenance/services/files?time_from=${EPOCH}`).expect(200))
            .body as { created: string }
        ).created.split(', ');
      const frozen = Date.parse('2026-12-01T20:45:12.345Z');
      // A file of an earlier run under the name two exports later would take: it is kept, not overwritten.
      writeFileSync(join(directory, 'export20261201_204512_347_states.json'), 'earlier\n');
      const clock = jest.spyOn(Date, 'now').mockReturnValue(frozen);
      try {
        const first = await created();
        const second = await created();
        const third = await created();
        const together = await Promise.all([created(), created(), created()]);
        expect([first, second, third].map((names) => names[0])).toEqual([
          'export20261201_204512_345_services.json',
          'export20261201_204512_346_services.json',
          'export20261201_204512_348_services.json',
        ]);
        const stems = [first, second, third, ...together].map((names) => names[0].slice(0, 25));
        expect(new Set(stems).size).toBe(6);
      } finally {
        clock.mockRestore();
      }
      expect(readFileSync(join(directory, 'export20261201_204512_347_states.json'), 'utf8')).toBe(
        'earlier\n',
      );
      expect(readdirSync(directory).filter((name) => name.endsWith('.partial'))).toEqual([]);
    });

    it('writes CSV with format=csv: a header row, a row per object, extensions as one JSON column', async () => {
      const tenant = api.as(uniqueId('t'));
      const started = await tenant
        .raw(
          'post',
          '/services/start',
          '{"service_type":"Sales","customer_id":"c,1 \\"quoted\\"",' +
            '"Offer":{"id":12345678901234567890,"name":"line\\nbreak"}}',
        )
        .expect(201);
      const service = (started.body as { service_id: number }).service_id;
      const state = await tenant.startState(service, { disposition: 'ok' });
      const task = await tenant.startTask(service, { state_id: state, task_type: 'Callback' });
      await tenant
        .raw(
          'post',
          `/services/${service}/end`,
          '{"disposition":"Done","interaction_id":42,"Score":{"v":1.50}}',
        )
        .expect(204);
      const response = await tenant
        .post(`/maintenance/services/files?time_from=${EPOCH}&format=csv`)
        .expect(200);
      const created = (response.body as { created: string }).created.split(', ');
      expect(created.map((name) => name.slice(25))).toEqual([
        '_services.csv',
        '_states.csv',
        '_tasks.csv',
      ]);
      const [services, states, tasks] = created.map((name) => readCsvExport(name, directory));
      const rows = (table: string[][]) =>
        table
          .slice(1)
          .map((row) => Object.fromEntries(table[0].map((column, i) => [column, row[i]])));
      expect(services[0]).toEqual([
        'service_id',
        'service_type',
        'customer_id',
        'contact_key',
        'expiration_time',
        'est_duration',
        'duration',
        'disposition',
        'disposition_desc',
        ...['started', 'completed'].flatMap((record) =>
          [
            'timestamp',
            'session_id',
            'interaction_id',
            'application_type',
            'application_id',
            'resource_type',
            'resource_id',
            'media_type',
          ].map((field) => `${record}_${field}`),
        ),
        'extensions',
      ]);
      expect(states[0].slice(0, 4)).toEqual([
        'service_id',
        'state_id',
        'state_type',
        'previous_state_id',
      ]);
      expect(tasks[0].slice(0, 4)).toEqual(['service_id', 'task_id', 'task_type', 'state_id']);
      const [own] = rows(services);
      expect(own).toMatchObject({
        service_id: String(service),
        customer_id: 'c,1 "quoted"',
        disposition: 'Done',
        completed_interaction_id: '42',
        contact_key: '',
      });
      expect(own.started_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      // The digits a double would lose, and the decimal's own text, survive in the JSON column.
      expect(own.extensions).toBe(
        '{"Offer":{"id":12345678901234567890,"name":"line\\nbreak"},"Score":{"v":1.50}}',
      );
      expect(rows(states)).toEqual([
        expect.objectContaining({
          service_id: String(service),
          state_id: String(state),
          disposition: 'ok',
          extensions: '',
        }),
      ]);
      expect(rows(tasks)).toEqual([
        expect.objectContaining({
          service_id: String(service),
          task_id: String(task),
          task_type: 'Callback',
          state_id: String(state),
        }),
      ]);
    });

    it('refuses a bad query like the stream, writing nothing', async () => {
      const before = readdirSync(directory).length;
      expectError(await api.post('/maintenance/services/files'), 400, 'ValidationException');
      expectError(
        await api.post(`/maintenance/services/files?time_from=${EPOCH}&filter_state=all`),
        400,
        'ValidationException',
      );
      expectError(
        await api.post(`/maintenance/services/files?time_from=${EPOCH}&format=xml`),
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
          exists: (path: string) => real.exists(path),
          // The states file fails as a full disk would, once something was written to the others.
          create: async (path: string) =>
            path.includes('_states.')
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
  const stem = (n: number) => `export20261201_2045${String(n).padStart(2, '0')}_345`;

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
    file(`${stem(1)}_services.json`, 2 * HOUR); // past the retention
    file(`${stem(2)}_tasks.csv.partial`, 30 * HOUR); // abandoned by a crash
    // Named by an earlier version, past the retention: removed as well.
    file('export-20261201T204512-345Z-9f86d081-services.jsonl', 3 * HOUR);
    for (let n = 3; n <= 10; n++)
      file(`${stem(n)}_states.${n % 2 ? 'json' : 'csv'}`, (20 - n) * 60_000);
    file('notes.txt', 10 * HOUR); // not an export: never touched
    file('export20261201_204512_345_services.json.bak', 10 * HOUR); // nor is this
    const result = await app().app.get(SweeperService).sweep();
    expect(result.exportFilesRemoved).toBe(5);
    expect(readdirSync(directory).sort()).toEqual([
      ...[5, 6, 7, 8, 9, 10].map((n) => `${stem(n)}_states.${n % 2 ? 'json' : 'csv'}`),
      'export20261201_204512_345_services.json.bak',
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
