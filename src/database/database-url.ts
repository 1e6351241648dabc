import * as path from 'node:path';
import { ConnectionOptions } from 'mysql2';

export const DEFAULT_EMBEDDED_FILE = path.join('data', 'context-services.sqlite');

export interface ServerTarget {
  kind: 'mysql' | 'mariadb';
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export type DatabaseTarget =
  | ServerTarget
  /** `file` undefined means an in-memory database that vanishes with the process. */
  | { kind: 'embedded'; file?: string };

/**
 * Reads `DATABASE_URL`. The scheme chooses the driver: MariaDB needs TypeORM's `mariadb` type (the `mysql`
 * type emits DDL MariaDB rejects), MySQL 8 the `mysql` type, and anything `sqlite:` the embedded sql.js engine.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: 'embedded', file: DEFAULT_EMBEDDED_FILE };
  if (url.startsWith('sqlite:')) {
    const location = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (location === ':memory:') return { kind: 'embedded' };
    if (location === '') throw new Error('DATABASE_URL sqlite: needs a file path or :memory:');
    return { kind: 'embedded', file: location };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  const kind = parsed.protocol.slice(0, -1);
  if (kind !== 'mysql' && kind !== 'mariadb') {
    throw new Error(
      `DATABASE_URL scheme ${parsed.protocol} is not supported (mariadb, mysql, sqlite)`,
    );
  }
  if (!parsed.hostname)
    throw new Error('DATABASE_URL must name a host, e.g. mariadb://root@127.0.0.1:3306/cs');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database)
    throw new Error('DATABASE_URL must name a database, e.g. mariadb://root@127.0.0.1:3306/cs');
  return {
    kind,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/** How anything but TypeORM (the health probe, the bench's own clients) reaches a server database. */
export function serverConnectionOptions(target: ServerTarget): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_bin',
    supportBigNumbers: true,
  };
}
