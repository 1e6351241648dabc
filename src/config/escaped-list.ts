/*
 * The list syntax of TENANTS and API_KEYS: a backslash makes the next character plain text, so a tenant name
 * may hold the separators (`,` `:` `=` `|`) as `\,` `\:` `\=` `\|`, and a backslash as `\\`.
 */

/** `text` split at every `separator` that no backslash escapes; the parts keep their escapes. */
export function splitUnescaped(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < limit - 1; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A part as the text it stands for: each escaped character without its backslash. */
export function unescapeList(part: string): string {
  return part.replace(/\\(.?)/gs, '$1');
}
