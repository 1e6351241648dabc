import { DEFAULT_EMBEDDED_FILE, parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it.each([
    ['absent', undefined, { kind: 'embedded', file: DEFAULT_EMBEDDED_FILE }],
    ['empty', '', { kind: 'embedded', file: DEFAULT_EMBEDDED_FILE }],
    ['sqlite::memory:', 'sqlite::memory:', { kind: 'embedded' }],
    [
      'a relative sqlite file',
      'sqlite:some/path.sqlite',
      { kind: 'embedded', file: 'some/path.sqlite' },
    ],
    [
      'an absolute sqlite file',
      'sqlite:///var/cs.sqlite',
      { kind: 'embedded', file: '/var/cs.sqlite' },
    ],
    [
      'a MariaDB URL with an encoded password and a port',
      'mariadb://user:p%40ss@host:3307/db',
      {
        kind: 'mariadb',
        host: 'host',
        port: 3307,
        username: 'user',
        password: 'p@ss',
        database: 'db',
      },
    ],
    [
      'a MySQL URL without port or password',
      'mysql://root@127.0.0.1/cs',
      {
        kind: 'mysql',
        host: '127.0.0.1',
        port: 3306,
        username: 'root',
        password: '',
        database: 'cs',
      },
    ],
  ])('reads %s', (_, url, target) => {
    expect(parseDatabaseUrl(url)).toEqual(target);
  });

  it('leaves an in-memory database without a file', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).not.toHaveProperty('file');
  });

  it.each([
    [
      'a server URL without a database name',
      'mariadb://root@127.0.0.1:3306/',
      /must name a database/,
    ],
    ['a server URL without any path', 'mysql://root@127.0.0.1', /must name a database/],
    ['an unsupported scheme', 'postgres://root@127.0.0.1/cs', /scheme postgres: is not supported/],
    ['sqlite without a location', 'sqlite:', /needs a file path or :memory:/],
    ['something that is not a URL', 'not a url', /not a valid URL/],
    ['a server URL without a host', 'mariadb:///cs', /must name a host/],
  ])('refuses %s', (_, url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});
