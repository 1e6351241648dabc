import fc from 'fast-check';
import { Readable } from 'node:stream';
import { csvObjects, joinedFiles, jsonArray, jsonLines, type SourceItem } from './import-sources';
import { stringifyJson } from '../json/exact-json';

/** `text` as a stream of chunks cut at `cuts` (byte offsets), as a socket may deliver it. */
function chunks(text: string, cuts: number[] = []): AsyncIterable<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts = [0, ...at, bytes.length]
    .slice(1)
    .map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
  return Readable.from(parts.filter((part) => part.length > 0));
}

async function all(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const values = (items: SourceItem[]) => items.map((item) => ('value' in item ? item.value : item));

describe('import sources', () => {
  it('reads the elements of a JSON array wherever the chunks are cut, strings and nesting included', async () => {
    const element = fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.string(), fc.integer(), fc.array(fc.string({ maxLength: 3 })), fc.constant(null)),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(element, { maxLength: 6 }),
        fc.array(fc.nat()),
        async (array, cuts) => {
          const text = `\uFEFF [\n${array.map((e) => JSON.stringify(e)).join(' ,\n')} ]\n`;
          const items = await all(jsonArray(chunks(text, cuts)));
          expect(values(items)).toEqual(array);
          expect(items.map((item) => item.line)).toEqual(array.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the digits of every number of an element', async () => {
    const [item] = await all(jsonArray(chunks('[{"id":12345678901234567890}]')));
    expect(stringifyJson((item as { value: unknown }).value)).toBe('{"id":12345678901234567890}');
  });

  it.each([
    [
      'not an array',
      '{"service_id":1}',
      'the body must be a JSON array of services (or JSON Lines)',
    ],
    ['cut short', '[{"a":1},{"b":', 'the JSON array ends before its closing ]'],
    ['going on after ]', '[{"a":1}] [', 'the JSON array goes on after its closing ]'],
  ])('ends a JSON array that is %s with a fatal item', async (_name, text, problem) => {
    const items = await all(jsonArray(chunks(text)));
    expect(items.at(-1)).toMatchObject({ problem, fatal: true });
  });

  it('refuses one bad element and reads on', async () => {
    const items = await all(jsonArray(chunks('[{"a":1}, {"b" 2}, {"c":3}]')));
    expect(items).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, problem: expect.stringContaining('is not valid JSON') },
      { line: 3, value: { c: 3 } },
    ]);
  });

  it('reads JSON Lines: CRLF, blank lines and a last line without a newline', async () => {
    const items = await all(jsonLines(chunks('{"a":1}\r\n\n  \n{"b":\n{"c":3}', [3, 9])));
    expect(items).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, problem: expect.stringContaining('is not valid JSON') },
      { line: 5, value: { c: 3 } },
    ]);
  });

  it('refuses bytes that are not UTF-8 rather than replace them', async () => {
    await expect(
      all(jsonLines(Readable.from([Buffer.from([0x7b, 0xff, 0x7d])]))),
    ).rejects.toThrow();
  });

  it('reads CSV rows as their JSON Lines twins', async () => {
    const csv =
      'service_id,customer_id,started_timestamp,completed_timestamp,extensions\n' +
      '7,"c,1","2026-11-01T10:00:00.000Z",,"{""Offer"":{""id"":12345678901234567890}}"\n' +
      '8,c2,2026-11-01T10:00:00.000Z,2026-11-01T10:05:00.000Z,\n' +
      '9,c3,2026-11-01T10:00:00.000Z,,"[1]"\n';
    const items = await all(csvObjects(Readable.from([csv])));
    expect(stringifyJson(values(items))).toBe(
      JSON.stringify([
        { service_id: '7', customer_id: 'c,1', started: { timestamp: '2026-11-01T10:00:00.000Z' } },
        {
          service_id: '8',
          customer_id: 'c2',
          started: { timestamp: '2026-11-01T10:00:00.000Z' },
          completed: { timestamp: '2026-11-01T10:05:00.000Z' },
        },
        { line: 4, problem: 'its extensions cell must hold a JSON object' },
      ]).replace(
        '"started":{"timestamp":"2026-11-01T10:00:00.000Z"}},',
        '"started":{"timestamp":"2026-11-01T10:00:00.000Z"},"Offer":{"id":12345678901234567890}},',
      ),
    );
  });

  it('joins the three files service by service, and refuses what lies at no service', async () => {
    const of = (...rows: object[]) =>
      Readable.from(rows.map((row, i) => ({ line: i + 1, value: row })));
    const items = await all(
      joinedFiles({
        services: { name: 's', items: of({ service_id: 1 }, { service_id: 2 }) },
        states: {
          name: 'st',
          items: of(
            { service_id: 1, state_id: 1 },
            { service_id: 1, state_id: 2, completed: {} },
            { service_id: 3, state_id: 3 },
          ),
        },
        tasks: { name: 't', items: of({ service_id: 2, task_id: 1 }) },
      }),
    );
    expect(items).toEqual([
      {
        line: 1,
        file: 's',
        value: {
          service_id: 1,
          active_states: [{ service_id: 1, state_id: 1 }],
          completed_states: [{ service_id: 1, state_id: 2, completed: {} }],
        },
      },
      {
        line: 2,
        file: 's',
        value: { service_id: 2, active_tasks: [{ service_id: 2, task_id: 1 }] },
      },
      {
        line: 3,
        file: 'st',
        problem: 'names service 3, which is not the service at its place in s',
      },
    ]);
  });
});
