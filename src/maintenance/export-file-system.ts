import { Injectable } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/**
 * The few file operations an export to files needs, behind one provider so that a test can make a write
 * fail where a full disk would.
 */
@Injectable()
export class ExportFileSystem {
  async ensureDirectory(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  /** A new file, never an existing one (`wx`). */
  create(path: string): Writable {
    return createWriteStream(path, { flags: 'wx' });
  }

  rename(from: string, to: string): Promise<void> {
    return rename(from, to);
  }

  /** Removes the file if it is there. */
  async remove(path: string): Promise<void> {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
