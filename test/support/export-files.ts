import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_EXPORT_DIR } from './test-app';

/** The objects of one JSON Lines export file written by a test application. */
export function readExport(name: string, directory = TEST_EXPORT_DIR): unknown[] {
  return readFileSync(join(directory, name), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** The rows of one CSV export file, the header row first, each a list of its cells. */
export function readCsvExport(name: string, directory = TEST_EXPORT_DIR): string[][] {
  return parse(readFileSync(join(directory, name), 'utf8'));
}
