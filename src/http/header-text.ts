/**
 * A header value as the text its client meant. Node hands header bytes over one character per byte
 * (Latin-1); a client that sends a non-ASCII tenant name sends UTF-8, so bytes that are valid UTF-8 are read
 * as UTF-8. Anything else stays as Node read it.
 */
export function headerText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  // Invalid sequences decode to U+FFFD, which does not encode back to the same bytes.
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}
