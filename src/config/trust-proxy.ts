import { isIP } from 'node:net';

/** The names proxy-addr (Fastify's `trustProxy`) knows for whole address ranges. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `TRUST_PROXY`: comma-separated peers whose `X-Forwarded-For/-Proto/-Host` are believed, each an IPv4 or
 * IPv6 address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or one of `loopback`, `linklocal`, `uniquelocal`.
 * Answers the list Fastify's `trustProxy` takes; throws a message naming the bad entry.
 */
export function parseTrustProxy(text: string): string[] {
  return text.split(',').map((raw) => {
    const entry = raw.trim();
    if (RANGE_NAMES.includes(entry)) return entry;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || rest.length > 0) {
      throw new Error(
        `TRUST_PROXY entry "${entry.slice(0, 60)}" must be an IP address, a CIDR such as 10.0.0.0/8, ` +
          `or one of ${RANGE_NAMES.join(', ')}`,
      );
    }
    return entry;
  });
}
