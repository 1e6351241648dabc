import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  /** The authority that signed it, to trust in a client. */
  ca: string;
  cert: string;
  key: string;
  /** Chain and key in one file, as HAProxy takes them. */
  combined: string;
}

/** The names every test certificate covers: the suites' host names and loopback. */
export const TEST_HOST_NAMES = ['*.example.test', 'localhost', '127.0.0.1'];

/**
 * A throwaway certificate authority and a server certificate it signed for `names` (DNS names, or IP
 * addresses), made with Debian's openssl in a temporary directory. `commonName` tells two apart.
 */
export async function makeCertificate(
  names = TEST_HOST_NAMES,
  commonName = 'Context Services test',
): Promise<TestCertificate> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cs-tls-'));
  const file = (name: string) => path.join(dir, name);
  const san = names
    .map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`))
    .join(',');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Context Services test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${commonName}`,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  await writeFile(file('ext.cnf'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('ext.cnf'),
    '-out',
    file('server.crt'),
  ]);
  const [cert, key] = await Promise.all([
    readFile(file('server.crt')),
    readFile(file('server.key')),
  ]);
  await writeFile(file('combined.pem'), Buffer.concat([cert, key]));
  return {
    ca: file('ca.crt'),
    cert: file('server.crt'),
    key: file('server.key'),
    combined: file('combined.pem'),
  };
}
