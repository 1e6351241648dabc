import { Injectable } from '@nestjs/common';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';

/** Kernel file systems: writes there reach no disk, and some never finish. */
const NOT_FOR_EXPORTS = ['/proc', '/sys', '/dev'];

/** A file of the export directory, with when it was last written. */
export interface ExportFileEntry {
  name: string;
  modifiedAt: number;
}

/**
 * The few file operations an export to files needs, behind one provider so that a test can make a write
 * fail where a full disk would.
 */
@Injectable()
export class ExportFileSystem {
  /**
   * Why `path` cannot take export files (it is under /proc, /sys or /dev, not a directory, or not
   * writable), or undefined once it exists and can. Creates it when missing.
   */
  async directoryProblem(path: string): Promise<string | undefined> {
    const absolute = resolve(path);
    const kernel = (at: string) =>
      NOT_FOR_EXPORTS.some((root) => at === root || at.startsWith(root + sep));
    if (kernel(absolute)) return `${absolute} is under ${NOT_FOR_EXPORTS.join(', ')}`;
    try {
      const existing = await stat(absolute).catch(() => undefined);
      if (existing && !existing.isDirectory()) return `${absolute} is not a directory`;
      if (!existing) await mkdir(absolute, { recursive: true });
      const real = await realpath(absolute);
      if (kernel(real)) return `${absolute} leads to ${real}, under ${NOT_FOR_EXPORTS.join(', ')}`;
      if (!(await stat(real)).isDirectory()) return `${absolute} is not a directory`;
      await access(real, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return `${absolute} cannot be written (${code ?? message})`;
    }
  }

  /**
   * A new file, never an existing one (`wx`): the promise fails with `EEXIST` when `path` is taken, so
   * that two exports of the same millisecond never share a name.
   */
  async create(path: string): Promise<Writable> {
    const handle = await open(path, 'wx');
    return handle.createWriteStream();
  }

  /** Whether anything is at `path`. */
  async exists(path: string): Promise<boolean> {
    return stat(path).then(
      () => true,
      () => false,
    );
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

  /** The files of `directory` whose names `matches` accepts, oldest first. */
  async list(directory: string, matches: (name: string) => boolean): Promise<ExportFileEntry[]> {
    const names = (await readdir(directory).catch(() => [])).filter(matches);
    const entries: ExportFileEntry[] = [];
    for (const name of names) {
      const info = await stat(resolve(directory, name)).catch(() => undefined);
      if (info?.isFile()) entries.push({ name, modifiedAt: info.mtimeMs });
    }
    return entries.sort((a, b) => a.modifiedAt - b.modifiedAt || (a.name < b.name ? -1 : 1));
  }
}
