/*
 * One way to count and screen text (docs/API.md §2.1): a length is a number of Unicode code points, as
 * MariaDB and MySQL count a utf8mb4 VARCHAR(n), so both engines take and refuse exactly the same strings
 * (UTF-16 units would count an astral character twice; validator.js's count drops variation selectors).
 */

/* eslint-disable no-control-regex -- control characters are what these two look for */
/** C0 control characters: refused in identifiers and types, where they are never meant. */
const CONTROLS = /[\u0000-\u001f]/;
/** In free text (a description, a note) tab, line feed and carriage return are text. */
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/* eslint-enable no-control-regex */

/** UTF-16 units less one per surrogate pair; a lone surrogate (refused earlier, json-screen.ts) counts one. */
export function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

/** Why `value` is not a text of 1..`max` code points (without control characters), or undefined. */
export function textProblem(value: string, max: number, freeText = false): string | undefined {
  // Cheap bounds first: a string of n UTF-16 units holds between n/2 and n code points.
  const length = value.length > max && value.length <= 2 * max ? codePoints(value) : value.length;
  if (length < 1 || length > max) return `must be 1 to ${max} characters long`;
  if ((freeText ? CONTROLS_BUT_LINES : CONTROLS).test(value)) {
    return freeText
      ? 'must not contain control characters other than tab and line breaks'
      : 'must not contain control characters';
  }
  return undefined;
}
