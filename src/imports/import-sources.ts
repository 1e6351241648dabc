import { parse as parseCsv } from 'csv-parse';
import type { Readable } from 'node:stream';
import { parseJson } from '../json/exact-json';

/** One service of an import source: its JSON value, or why it could not be read, and where it was. */
export type SourceItem =
  | { line: number; value: unknown; file?: string }
  | { line: number; problem: string; fatal?: boolean; file?: string };

/** Larger than any whole service the API can hold (states and tasks are capped per service). */
export const MAX_ITEM_CHARS = 64 * 1024 * 1024;

const WHITESPACE = /\s/;

/** Bytes that are not UTF-8: the source ends there (nothing after them can be placed). */
const NOT_UTF8 = 'is not valid UTF-8 from here on: nothing after it was read';

/**
 * Text chunks of a byte stream, refused (never replaced) where it is not valid UTF-8: then it ends with
 * `null`, for its reader to say so where it is.
 */
async function* utf8(bytes: AsyncIterable<Buffer | string>): AsyncGenerator<string | null> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of bytes) {
      yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    yield null;
  }
}

function parsed(line: number, text: string): SourceItem {
  try {
    return { line, value: parseJson(text) };
  } catch (error) {
    return { line, problem: `is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * JSON Lines: one JSON value a line, blank lines skipped. A line that is not JSON is one bad item; the
 * lines after it are read as usual.
 */
export async function* jsonLines(
  bytes: AsyncIterable<Buffer | string>,
): AsyncGenerator<SourceItem> {
  let pending = '';
  let line = 0;
  for await (const text of utf8(bytes)) {
    if (text === null) {
      yield { line: line + 1, problem: NOT_UTF8, fatal: true };
      return;
    }
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      line++;
      const content = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (content.trim() !== '') yield parsed(line, content);
    }
    if (pending.length > MAX_ITEM_CHARS) {
      yield { line: line + 1, problem: 'is longer than any service can be', fatal: true };
      return;
    }
  }
  if (pending.trim() !== '') yield parsed(line + 1, pending);
}

/**
 * The elements of one JSON array, each as soon as it is complete, without holding the array: a scanner
 * that follows strings and nesting finds where each element ends, and the element's own text is parsed
 * (so its numbers keep their digits). `line` is the element's number in the array, from 1. An element
 * that is not JSON is one bad item; the array's own syntax broken (no `[`, no `,` between elements) ends the
 * source with a fatal item, since nothing after it can be placed.
 */
export async function* jsonArray(
  bytes: AsyncIterable<Buffer | string>,
): AsyncGenerator<SourceItem> {
  type Phase = 'before' | 'element-or-end' | 'element' | 'done';
  let phase: Phase = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let index = 0;
  const fatal = (problem: string): SourceItem => ({ line: index + 1, problem, fatal: true });
  for await (const text of utf8(bytes)) {
    if (text === null) {
      yield fatal(NOT_UTF8);
      return;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (phase === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (depth > 0 && (c === '}' || c === ']')) depth--;
        else if (depth === 0 && (c === ',' || c === ']' || c === '}')) {
          // The element ends here: at a comma another follows, at the array's ] (or a stray }) none.
          element += text.slice(start, i);
          index++;
          yield parsed(index, element);
          element = '';
          phase = c === ',' ? 'element-or-end' : 'done';
        }
        continue;
      }
      if (WHITESPACE.test(c) || c === '\uFEFF') continue;
      if (phase === 'before') {
        if (c !== '[') {
          yield fatal('the body must be a JSON array of services (or JSON Lines)');
          return;
        }
        phase = 'element-or-end';
      } else if (phase === 'element-or-end') {
        if (c === ']' && index === 0) {
          phase = 'done';
        } else {
          phase = 'element';
          start = i;
          i--;
        }
      } else {
        yield fatal('the JSON array goes on after its closing ]');
        return;
      }
    }
    if (phase === 'element') {
      element += text.slice(start);
      if (element.length > MAX_ITEM_CHARS) {
        yield fatal('an element is longer than any service can be');
        return;
      }
    }
  }
  if ((phase as Phase) !== 'done') yield fatal('the JSON array ends before its closing ]');
}

const RECORDS = ['started', 'completed'] as const;

/**
 * One CSV row of an export file as the object its JSON Lines twin holds: empty cells are absent fields,
 * `started_*` / `completed_*` cells the two records, and the `extensions` cell's JSON object spread back.
 * Cells stay text: the fields read integers from integer-valued text.
 */
function objectOfRow(row: Record<string, string>): Record<string, unknown> | string {
  const object: Record<string, unknown> = {};
  const records: Record<string, Record<string, string>> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (cell === '') continue;
    const record = RECORDS.find((name) => column.startsWith(`${name}_`));
    if (record) (records[record] ??= {})[column.slice(record.length + 1)] = cell;
    else if (column !== 'extensions') object[column] = cell;
  }
  Object.assign(object, records);
  if (row.extensions) {
    let extensions: unknown;
    try {
      extensions = parseJson(row.extensions);
    } catch (error) {
      return `its extensions cell is not JSON: ${(error as Error).message}`;
    }
    if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) {
      return 'its extensions cell must hold a JSON object';
    }
    for (const [name, value] of Object.entries(extensions)) {
      if (name in object) return `its extension ${name} has the name of a column`;
      object[name] = value;
    }
  }
  return object;
}

/** The rows of a CSV export file (docs/API.md §6.5) as the objects of its JSON Lines twin. */
export async function* csvObjects(bytes: Readable): AsyncGenerator<SourceItem> {
  const parser = bytes.pipe(parseCsv({ columns: true, bom: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const object = objectOfRow(record);
      yield typeof object === 'string'
        ? { line: info.lines, problem: object }
        : { line: info.lines, value: object };
    }
  } catch (error) {
    yield {
      line: 0,
      problem: `is not CSV as an export writes it: ${(error as Error).message}`,
      fatal: true,
    };
  }
}

/** An iterator that can look at its next item without taking it. */
class Peekable<T> {
  private next: IteratorResult<T> | undefined;

  constructor(private readonly source: AsyncIterator<T>) {}

  async peek(): Promise<T | undefined> {
    this.next ??= await this.source.next();
    return this.next.done ? undefined : this.next.value;
  }

  async take(): Promise<T | undefined> {
    const item = await this.peek();
    this.next = undefined;
    return item;
  }
}

const serviceIdOf = (item: SourceItem | undefined): string | undefined =>
  item && 'value' in item && typeof item.value === 'object' && item.value !== null
    ? String((item.value as { service_id?: unknown }).service_id)
    : undefined;

/**
 * The three files of `POST /maintenance/services/files` joined back into whole services: each file lists
 * its objects service by service, in the same order, so each service takes the states and tasks rows that
 * follow in the other two files with its `service_id` — nothing is held but the service being joined. A
 * row of the states or tasks file that names no service at its place is refused with its file and line.
 */
export async function* joinedFiles(
  files: Record<
    'services' | 'states' | 'tasks',
    { name: string; items: AsyncIterable<SourceItem> }
  >,
): AsyncGenerator<SourceItem> {
  const children = {
    states: new Peekable(files.states.items[Symbol.asyncIterator]()),
    tasks: new Peekable(files.tasks.items[Symbol.asyncIterator]()),
  };
  const named = (item: SourceItem, file: string): SourceItem => ({ ...item, file });
  for await (const item of files.services.items) {
    const id = serviceIdOf(item);
    if (id === undefined || !('value' in item)) {
      yield named(item, files.services.name);
      continue;
    }
    const service = item.value as Record<string, unknown>;
    let broken: string | undefined;
    for (const kind of ['states', 'tasks'] as const) {
      const rows = children[kind];
      for (let next = await rows.peek(); next; next = await rows.peek()) {
        if ('problem' in next) {
          // A child row that cannot be read belongs to a service that cannot be imported whole.
          broken ??= `${files[kind].name} line ${next.line} ${next.problem}`;
          await rows.take();
          if (next.fatal) break;
          continue;
        }
        if (serviceIdOf(next) !== id) break;
        await rows.take();
        const child = next.value as Record<string, unknown>;
        const list = `${child.completed === undefined ? 'active' : 'completed'}_${kind}`;
        ((service[list] ??= []) as unknown[]).push(child);
      }
    }
    yield broken
      ? { line: item.line, file: files.services.name, problem: broken }
      : { line: item.line, file: files.services.name, value: service };
  }
  for (const kind of ['states', 'tasks'] as const) {
    for (let row = await children[kind].take(); row; row = await children[kind].take()) {
      yield {
        line: row.line,
        file: files[kind].name,
        problem:
          'problem' in row
            ? row.problem
            : `names service ${serviceIdOf(row)}, which is not the service at its place in ${files.services.name}`,
      };
    }
  }
}
