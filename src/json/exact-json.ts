import {
  LosslessNumber,
  parse as parseLossless,
  stringify as stringifyLossless,
} from 'lossless-json';

/**
 * JSON whose numbers keep their digits (docs/API.md §5). A double holds integers exactly only up to 2^53 and
 * rewrites decimals in its own shortest form, so `12345678901234567890` (a Java `long`) would come back as
 * `12345678901234567000` and `1.50` as `1.5`. A number whose text a double would alter is read as an
 * `ExactNumber`, which keeps the text; every other number stays a plain `number`, so that code reading a
 * field sees what it always saw.
 */
let exactWrites = 0;

export class ExactNumber extends LosslessNumber {
  /**
   * Counts the times JSON.stringify met one (see `stringifyJson`). Anything that still writes it with plain
   * JSON.stringify gets its digits as a string: changed in type, never in value.
   */
  toJSON(): string {
    exactWrites += 1;
    return this.value;
  }
}

export const isExactNumber = (value: unknown): value is ExactNumber => value instanceof ExactNumber;

/**
 * Text in which some number might not survive a double. A conservative screen over the whole text (strings
 * included, so it may match where no number is): a number none of these match has at most 15 significant
 * digits, no exponent, no trailing zero after its point, is not `-0`, and is not small enough to print with an
 * exponent, so the double's shortest text is exactly its own. Each alternative ends where a JSON number must
 * (whitespace, `,`, `]`, `}` or the end), so that the digits of a timestamp (`…:34.000Z`) or of an id inside a
 * string do not send the body down the slow path.
 */
const END = String.raw`(?=[\s,\]}]|$)`;
const MAY_ALTER = new RegExp(
  [
    String.raw`\d[eE][+-]?\d+`,
    String.raw`\d(?:\.?\d){15}[\d.]*`,
    String.raw`\.\d*0`,
    String.raw`\.0{6}\d*`,
    '-0',
  ]
    .map((alternative) => alternative + END)
    .join('|'),
);

/** Whether JSON.parse might read some number of `text` other than as written (then `parseJson` differs). */
export function mayAlterNumbers(text: string): boolean {
  return MAY_ALTER.test(text);
}

function numberOf(text: string): number | ExactNumber {
  const value = Number(text);
  return String(value) === text ? value : new ExactNumber(text);
}

/** A later duplicate key wins, as in JSON.parse, so both parsers read every text alike. */
const LAST_WINS = {
  parseNumber: numberOf,
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

/**
 * Parses JSON as JSON.parse does, except that numbers a double would alter are `ExactNumber`s. Most texts
 * have none and take JSON.parse's speed; the others the maintained lossless parser reads. Throws a
 * SyntaxError on text that is not JSON.
 */
export function parseJson(text: string): unknown {
  return mayAlterNumbers(text) ? parseLossless(text, null, LAST_WINS) : JSON.parse(text);
}

/**
 * Writes JSON as JSON.stringify does, with every `ExactNumber` as the number it was sent as. JSON.stringify
 * writes first; only when it met an `ExactNumber` is the value written again, by the lossless writer.
 */
export function stringifyJson(value: unknown): string {
  const before = exactWrites;
  const text = JSON.stringify(value);
  return exactWrites === before ? text : stringifyLossless(value)!;
}

/** The number an `ExactNumber` stands for, as a double. */
export function approximately(value: ExactNumber): number {
  return Number(value.value);
}

/**
 * What the fields of the API (not extensions) read for an `ExactNumber`: an integer whole, as a bigint (an
 * id field takes its every digit as text), any other number as the nearest double.
 */
export function asFieldValue(value: ExactNumber): number | bigint {
  return /^-?\d+$/.test(value.value) ? BigInt(value.value) : approximately(value);
}

/** Whether a double can hold the number at all: `1e400` is beyond ±1.8e308 and JSON cannot write it back. */
export function isRepresentable(value: ExactNumber): boolean {
  return Number.isFinite(approximately(value));
}
