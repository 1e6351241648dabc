import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
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
@Injectable()
export class EmbeddedStore implements OnApplicationBootstrap {
  private readonly file: string | undefined;

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
    try {
      await mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, image);
      await rename(temporary, this.file);
    } catch (error) {
      await driver.load(this.file);
      driver.databaseConnection.exec('PRAGMA foreign_keys = ON');
      throw error;
    }
  }
}
