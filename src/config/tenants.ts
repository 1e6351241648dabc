import { splitUnescaped, unescapeList } from './escaped-list';

/**
 * Tenants as GMS names them (docs/API.md §6.2): `ContactCenterId` carries the tenant's DBID or its name.
 * A tenant is any printable text of 1 to 64 characters without surrounding spaces.
 */
const TENANT = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u;

export function isTenantName(value: string): boolean {
  return TENANT.test(value);
}

/** `DEFAULT_TENANT`, checked like a tenant name. */
export function parseTenantName(text: string): string {
  if (!isTenantName(text))
    throw new Error(
      'DEFAULT_TENANT must be 1 to 64 printable characters without surrounding spaces',
    );
  return text;
}

/**
 * `TENANTS`: comma-separated tenants, each a name or `dbid=name` (`1=Environment,101=ACME`); both the DBID
 * and the name of a pair reach the same data, which is kept under the name. A name may hold any printable
 * character, `,` and `=` escaped with a backslash (escaped-list.ts). A header value that would stand for two
 * tenants (`1=Alpha,2=1`, `3=Beta,3=Gamma`) is refused rather than guessed. Answers header value → tenant;
 * throws a message naming the bad entry by position.
 */
export function parseTenants(text: string): Map<string, string> {
  const tenants = new Map<string, string>();
  const claim = (value: string, name: string, position: number) => {
    const had = tenants.get(value);
    if (had !== undefined && had !== name) {
      throw new Error(
        `TENANTS entry ${position} makes "${value}" stand for "${name}", which an earlier entry gave to ` +
          `"${had}": each DBID and name must reach one tenant`,
      );
    }
    tenants.set(value, name);
  };
  splitUnescaped(text, ',').forEach((raw, index) => {
    const entry = raw.trim();
    const pair = /^(\d{1,20})=(.*)$/s.exec(entry);
    const name = unescapeList(pair ? pair[2] : entry);
    if (!isTenantName(name)) {
      throw new Error(
        `TENANTS entry ${index + 1} ("${entry.slice(0, 70)}") must be a tenant name or dbid=name, names ` +
          'being 1 to 64 printable characters (escape , and = with a backslash)',
      );
    }
    claim(name, name, index + 1);
    if (pair) claim(pair[1], name, index + 1);
  });
  return tenants;
}
