export const ROLES = ['reader', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** One configured API key: who it is, what it may do, and where. Only the key's SHA-256 is configured. */
export interface ApiKeyEntry {
  name: string;
  role: Role;
  sha256: Buffer;
  /** The tenants the key may act for; undefined means any. */
  tenants?: Set<string>;
}

const ENTRY =
  /^([\w.-]{1,64}):(reader|writer|admin):([0-9a-f]{64})(?::([\w.:@-]{1,64}(?:\|[\w.:@-]{1,64})*))?$/i;

/**
 * Parses `API_KEYS`: comma-separated `name:role:sha256hex[:tenant1|tenant2]` entries, e.g.
 * `ivr:writer:9f86d0…:acme|globex,ops:admin:5e8848…`. Throws a message naming the bad entry.
 */
export function parseApiKeys(text: string | undefined): ApiKeyEntry[] {
  if (!text?.trim()) return [];
  const entries = text.split(',').map((raw) => {
    const match = ENTRY.exec(raw.trim());
    if (!match) {
      throw new Error(
        `API_KEYS entry "${raw.trim().slice(0, 20)}…" must be name:role:sha256hex[:tenant1|tenant2] ` +
          `with role reader, writer or admin`,
      );
    }
    const [, name, role, hash, tenants] = match;
    return {
      name,
      role: role.toLowerCase() as Role,
      sha256: Buffer.from(hash, 'hex'),
      tenants: tenants ? new Set(tenants.split('|')) : undefined,
    };
  });
  const names = entries.map((e) => e.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`API_KEYS names "${duplicate}" twice`);
  return entries;
}
