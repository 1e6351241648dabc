import fc from 'fast-check';
import { ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

/** Characters whose UTF-16 length, grapheme count and code-point count all differ. */
const PIECES = [
  'a',
  'é', // one code point
  'e\u0301', // e + combining acute: two code points, one grapheme
  '\u2764\ufe0f', // heart + variation selector 16: two code points (validator.js counts one)
  '\u{1F600}', // astral: two UTF-16 units, one code point
  '\u{1F469}\u200d\u{1F4BB}', // woman technologist, a ZWJ sequence: three code points
  '\u{1F1EB}\u{1F1F7}', // a flag: two regional indicators
  '中',
];

const codePoints = (text: string) => [...text].length;

/** Strings around the 64-character limit of `customer_id`, counted in code points. */
const nearTheLimit = fc
  .array(fc.constantFrom(...PIECES), { minLength: 20, maxLength: 70 })
  .map((pieces) => pieces.join(''))
  .filter((text) => codePoints(text) >= 56 && codePoints(text) <= 72);

/**
 * A length is a number of Unicode code points (docs/API.md §2.1), as MariaDB counts VARCHAR(n) in utf8mb4:
 * both engines take exactly the strings of at most 64 code points, store them unaltered, and refuse the rest
 * with the same 400.
 */
describe('text lengths are code points, on both engines', () => {
  let t: TestApp;
  let api: ResourceApi;

  beforeAll(async () => {
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
    api = new ResourceApi(() => t).as(uniqueId('text'));
  });

  afterAll(async () => {
    await t.close();
  });

  it('takes a customer_id of up to 64 code points and refuses one longer, whatever its UTF-16 length', async () => {
    const seen = { taken: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(nearTheLimit, async (customerId) => {
        const response = await api.post('/services/start', { customer_id: customerId });
        if (codePoints(customerId) <= 64) {
          expect(response.status).toBe(201);
          const read = await api.get(`/services/${response.body.service_id}`).expect(200);
          expect(read.body.customer_id).toBe(customerId);
          seen.taken += 1;
        } else {
          expect(response.status).toBe(400);
          expect(response.body.details).toEqual([
            { path: 'customer_id', problem: 'must be 1 to 64 characters long' },
          ]);
          seen.refused += 1;
        }
      }),
      { numRuns: 60, seed: 20261203 },
    );
    expect(seen.taken).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
  });

  it('counts variation selectors, so 64 hearts with their selector are 128 characters: too long', async () => {
    const hearts = '\u2764\ufe0f'.repeat(64);
    await api.post('/services/start', { customer_id: hearts }).expect(400);
    await api.post('/services/start', { customer_id: '\u2764\ufe0f'.repeat(32) }).expect(201);
  });

  it('counts an astral character once: 64 of them fit', async () => {
    await api.post('/services/start', { customer_id: '\u{1F600}'.repeat(64) }).expect(201);
  });

  it('counts a path customer_id the same way', async () => {
    await api.get(`/customers/${encodeURIComponent('\u{1F600}'.repeat(64))}/services`).expect(200);
    const long = await api.get(`/customers/${encodeURIComponent('e\u0301'.repeat(33))}/services`);
    expect(long.status).toBe(400);
  });

  it.each([
    ['customer_id', { customer_id: 'a\u0000b' }],
    ['customer_id', { customer_id: 'a\tb' }],
    ['service_type', { customer_id: 'c', service_type: 'Sales\u001b' }],
    ['session_id', { customer_id: 'c', session_id: 'S\n1' }],
  ])('refuses a C0 control character in %s', async (path, body) => {
    const response = await api.post('/services/start', body).expect(400);
    expect(response.body.details).toEqual([
      { path, problem: 'must not contain control characters' },
    ]);
  });

  it('keeps tab and line breaks in free text (disposition_desc, a note)', async () => {
    const started = await api.post('/services/start', { customer_id: uniqueId('c') }).expect(201);
    const id = started.body.service_id as number;
    await api
      .post(`/services/${id}/notes`, { text: 'line one\nline two\r\n\tindented' })
      .expect(201);
    await api.post(`/services/${id}/end`, { disposition_desc: 'Resolved\tby\nphone' }).expect(204);
    const read = await api.get(`/services/${id}`).expect(200);
    expect(read.body.disposition_desc).toBe('Resolved\tby\nphone');
    const bell = await api.post(`/services/${id}/notes`, { text: 'ring\u0007' }).expect(400);
    expect(bell.body.details[0].problem).toBe(
      'must not contain control characters other than tab and line breaks',
    );
  });
});
