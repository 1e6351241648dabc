import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../support/service-process';

/** The built service started with `env`: how it exited and everything it wrote. */
function boot(env: Record<string, string>): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: 'sqlite::memory:',
      PORT: '39598',
      LOG_FORMAT: 'json',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  // Without the colours Nest's console logger adds.
  // eslint-disable-next-line no-control-regex
  const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  return { status: run.status, output };
}

/** Settings the service refuses stop the boot with status 1 and one message that names them, as an operator reads it. */
describe('the built service refuses unusable settings at boot', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cs-boot-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each([
    [
      'EXPORT_DIR under /proc',
      { EXPORT_DIR: '/proc/self/exports' },
      /EXPORT_DIR: \/proc\/self\/exports is under \/proc/,
    ],
    ['EXPORT_DIR a file', { EXPORT_DIR: 'FILE' }, /EXPORT_DIR: .*plain is not a directory/],
    ['an ambiguous TENANTS', { TENANTS: '1=Alpha,2=1' }, /TENANTS entry 2 makes "1" stand for "1"/],
  ])('%s', (_what, env, message) => {
    const file = join(directory, 'plain');
    writeFileSync(file, '');
    const { status, output } = boot(
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'FILE' ? file : v])),
    );
    expect(status).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toMatch(message);
  });

  it('names a bad API_KEYS entry by position, never printing a digest', () => {
    const digest = 'ab'.repeat(32);
    const { status, output } = boot({
      API_KEYS: `ivr:writer:${digest},ops:boss:${'cd'.repeat(32)}`,
    });
    expect(status).toBe(1);
    expect(output).toContain('API_KEYS entry 2 of 2 ("ops")');
    expect(output).not.toMatch(/abab|cdcd/);
  });
});
