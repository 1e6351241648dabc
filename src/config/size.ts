const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size as BODY_LIMIT and IMPORT_MAX_BYTES take it (`1mb`, `512kb`, `1048576`), in bytes. */
export function sizeBytes(text: string): number {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim()) ?? [];
  if (amount === undefined) throw new Error(`${text} is not a size such as 1mb, 512kb or 1048576`);
  return Math.floor(Number(amount) * UNITS[(unit ?? 'b').toLowerCase()]);
}
