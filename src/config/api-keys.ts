import { splitUnescaped, unescapeList } from './escaped-list';
import { isTenantName } from './tenants';

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

const NAME = /^[\w.-]{1,64}$/;
const ROLE = /^(reader|writer|admin)$/i;
const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Parses `API_KEYS`: comma-separated `name:role:sha256hex[:tenant1|tenant2]` entries, e.g.
 * `ivr:writer:9f86d0…:acme|globex,ops:admin:5e8848…`. A tenant is any tenant name, with `,` and `|` escaped
 * by a backslash (escaped-list.ts). Throws a message naming the bad entry by position, and by its name when
 * that is readable: never the digests, which are as good as the keys to someone who can try them offline.
 */
export function parseApiKeys(text: string | undefined): ApiKeyEntry[] {
  if (!text?.trim()) return [];
  const raws = splitUnescaped(text, ',');
  const entries = raws.map((raw, index) => {
    const [name = '', role = '', hash = '', tenants] = splitUnescaped(raw.trim(), ':', 4);
    const bound =
      tenants === undefined ? undefined : splitUnescaped(tenants, '|').map(unescapeList);
    const which = `API_KEYS entry ${index + 1} of ${raws.length}${NAME.test(name) ? ` ("${name}")` : ''}`;
    if (!NAME.test(name) || !ROLE.test(role) || !SHA256.test(hash)) {
      throw new Error(
        `${which} must be name:role:sha256hex[:tenant1|tenant2], the name 1 to 64 letters, digits, ` +
          '".", "_" or "-", the role reader, writer or admin, the digest 64 hexadecimal digits',
      );
    }
    if (bound && !bound.every(isTenantName)) {
      throw new Error(
        `${which} binds a tenant that is not a tenant name (1 to 64 printable characters; escape , and | ` +
          'with a backslash)',
      );
    }
    return {
      name,
      role: role.toLowerCase() as Role,
      sha256: Buffer.from(hash, 'hex'),
      tenants: bound ? new Set(bound) : undefined,
    };
  });
  const names = entries.map((e) => e.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`API_KEYS names "${duplicate}" twice`);
  return entries;
}
