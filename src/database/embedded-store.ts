import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';

interface SqljsDriverInternals {
  export(): Uint8Array;
  load(file: string): Promise<unknown>;
  databaseConnection: { exec(sql: string): void };
}

/**
 * Keeps the embedded (sql.js) database's file in step with memory. sql.js lives entirely in memory; this
 * writes the whole image after every committed transaction, to a temporary file renamed over the old one,
 * so a crash mid-write never leaves a torn file. A no-op on MySQL/MariaDB and for in-memory databases.
 */
/**
 * The embedded file could not be written (a full disk, a read-only volume): the request stored nothing and
 * may be retried once the disk has room, a 503 like a database that cannot be reached.
 */
export class EmbeddedStoreUnwritableError extends Error {
  readonly code = 'EMBEDDED_STORE_UNWRITABLE';

  constructor(override readonly cause: unknown) {
    super(`the embedded database file could not be written: ${(cause as Error).message}`);
  }
}

@Injectable()
export class EmbeddedStore implements OnApplicationBootstrap {
  private readonly file: string | undefined;
  /** False from a failed write until the next one succeeds: /health reports the database down meanwhile. */
  writable = true;

  constructor(private readonly dataSource: DataSource) {
    const options = dataSource.options;
    this.file =
      options.type === 'sqljs' && typeof options.location === 'string'
        ? options.location
        : undefined;
  }

  /** The migrations that ran at boot changed the database too. */
  async onApplicationBootstrap(): Promise<void> {
    await this.persist();
  }

  /**
   * Must be called with the embedded engine idle (the TransactionRunner's queue guarantees it). If the file
   * cannot be written, memory is reloaded from the last good file before the error is rethrown, so a request
   * that fails here leaves nothing behind, on disk or in memory.
   */
  async persist(): Promise<void> {
    if (!this.file) return;
    const driver = this.dataSource.driver as unknown as SqljsDriverInternals;
    const image = driver.export();
    // sql.js closes and reopens the database to export it, which resets foreign keys (and with them the
    // ON DELETE CASCADE rules) to off.
    driver.databaseConnection.exec('PRAGMA foreign_keys = ON');
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
      await this.writeImage(temporary, image);
      await rename(temporary, this.file);
      this.writable = true;
    } catch (error) {
      this.writable = false;
      await unlink(temporary).catch(() => undefined);
      await driver.load(this.file);
      driver.databaseConnection.exec('PRAGMA foreign_keys = ON');
      throw new EmbeddedStoreUnwritableError(error);
    }
  }

  /** The one write of the file's bytes (a test makes it fail as a full disk would). */
  writeImage(file: string, image: Uint8Array): Promise<void> {
    return writeFile(file, image);
  }
}
