import fc from 'fast-check';
import { approximately, ExactNumber, isExactNumber, parseJson, stringifyJson } from './exact-json';

/** Number texts as the JSON grammar allows them: sign, integer part, fraction, exponent, of any length. */
// Half the digits are zeros: runs of them (`0.0000001`, `1.50`) are where a double's text differs.
const digit = fc.oneof(fc.constant('0'), fc.constantFrom(...'0123456789'));
const digits = (min: number, max: number) =>
  fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(''));
const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      fc.constant('0'),
      fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map((p) => p.join('')),
    ),
    fc.option(digits(1, 20)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))),
  )
  .map(([minus, int, fraction, exponent]) =>
    [
      minus ? '-' : '',
      int,
      fraction === null ? '' : `.${fraction}`,
      exponent ? exponent.join('') : '',
    ].join(''),
  );

/** Doubles printed as JavaScript prints them: the texts the fast path reads. */
const doubleText = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((d) => JSON.stringify(d));

describe('exact JSON', () => {
  it('writes every representable number back exactly as it was read, fast path or not', () => {
    fc.assert(
      fc.property(fc.oneof(numberText, doubleText), (text) => {
        const body = `{"a":[${text}],"b":{"c":${text}}}`;
        const read = parseJson(body) as { a: unknown[] };
        if (!Number.isFinite(Number(text))) {
          expect(isExactNumber(read.a[0])).toBe(true);
          return;
        }
        expect(stringifyJson(read)).toBe(body);
        // A plain number exactly when the double's own text is the text sent.
        const plain = String(Number(text)) === text;
        expect(typeof read.a[0] === 'number').toBe(plain);
        // Whichever JSON delimiter ends the number (the screen looks for where numbers end).
        const spaced = parseJson(`[ ${text} ,${text}\n,${text}\t]`) as unknown[];
        expect(spaced.map((value) => typeof value === 'number')).toEqual([plain, plain, plain]);
        expect(typeof parseJson(text) === 'number').toBe(plain);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads any JSON as JSON.parse does, numbers aside', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const exact = parseJson(text);
        const plain = JSON.parse(text) as unknown;
        const approximated = JSON.parse(
          JSON.stringify(exact, (_, value: unknown) =>
            isExactNumber(value) ? approximately(value) : value,
          ),
        ) as unknown;
        expect(approximated).toEqual(plain);
      }),
      { numRuns: 2000 },
    );
  });

  it('lets a later duplicate key win and keeps __proto__ as data, on both paths', () => {
    for (const number of ['1', '1.50']) {
      const read = parseJson(`{"a":1,"a":${number},"__proto__":{"x":${number}}}`) as Record<
        string,
        unknown
      >;
      expect(stringifyJson(read)).toBe(`{"a":${number},"__proto__":{"x":${number}}}`);
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    }
  });

  it('refuses text that is not JSON on both paths', () => {
    expect(() => parseJson('{"a":1,}')).toThrow(SyntaxError);
    expect(() => parseJson('{"a":1.50,}')).toThrow(SyntaxError);
  });

  it('writes an ExactNumber that plain JSON.stringify meets as its digits, never as an object', () => {
    expect(JSON.stringify({ id: new ExactNumber('12345678901234567890') })).toBe(
      '{"id":"12345678901234567890"}',
    );
    expect(stringifyJson({ id: new ExactNumber('12345678901234567890') })).toBe(
      '{"id":12345678901234567890}',
    );
  });
});
