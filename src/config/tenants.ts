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
 * and the name of a pair reach the same data, which is kept under the name. Answers header value →
 * tenant; throws a message naming the bad entry.
 */
export function parseTenants(text: string): Map<string, string> {
  const tenants = new Map<string, string>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const pair = /^(\d{1,20})=(.*)$/.exec(entry);
    const name = pair ? pair[2] : entry;
    if (!isTenantName(name)) {
      throw new Error(
        `TENANTS entry "${entry.slice(0, 70)}" must be a tenant name or dbid=name, names being 1 to 64 printable characters`,
      );
    }
    tenants.set(name, name);
    if (pair) tenants.set(pair[1], name);
  }
  return tenants;
}
