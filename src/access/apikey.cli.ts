/**
 * `npm run apikey -- <name> <role> [tenant1|tenant2]`: makes a new random API key and prints it once, with the
 * API_KEYS entry (which holds only the key's SHA-256) to add to the configuration.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseApiKeys, ROLES } from '../config/api-keys';

function main(args: string[]): number {
  const [name, role, tenants] = args;
  if (!name || !role) {
    console.error(`usage: npm run apikey -- <name> <${ROLES.join('|')}> [tenant1|tenant2]`);
    return 2;
  }
  const key = randomBytes(32).toString('base64url');
  const entry = [
    name,
    role,
    createHash('sha256').update(key).digest('hex'),
    ...(tenants ? [tenants] : []),
  ].join(':');
  try {
    parseApiKeys(entry);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  console.log(
    `API key for ${name} (shown once; give it to the client, store it nowhere else):\n\n  ${key}\n`,
  );
  console.log(`Add this entry to API_KEYS (comma-separated with the others):\n\n  ${entry}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
