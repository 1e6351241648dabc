import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { makeCertificate, TestCertificate } from '../support/certificates';
import { freePort } from '../support/own-mariadb';
import { MAIN, ServiceProcess } from '../support/service-process';

interface Answer {
  status: number;
  /** The common name of the certificate the connection was opened with. */
  servedBy: string;
  /** Whether the request went over a connection opened before it. */
  reused: boolean;
}

/**
 * A renewed certificate without a restart (README, "Running it on a server"): the built service serving
 * TLS itself rereads TLS_CERT_FILE and TLS_KEY_FILE on SIGHUP. A keep-alive connection opened before the
 * signal stays open and keeps answering; new connections get the new certificate; files that do not check
 * out (a broken key, a key of another certificate) are refused with a log line and the current certificate
 * stays, the process running.
 */
describe('TLS certificate reload on SIGHUP', () => {
  jest.setTimeout(60_000);
  let first: TestCertificate;
  let renewed: TestCertificate;
  let files: { cert: string; key: string };
  let service: ServiceProcess;
  let base: string;
  let ca: Buffer[];

  const get = (agent: Agent): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const sent = request(`${base}/health`, { agent, ca }, (response) => {
        const socket = response.socket as TLSSocket;
        const servedBy = String(socket.getPeerCertificate().subject.CN);
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode!, servedBy, reused: sent.reusedSocket }),
        );
      });
      sent.on('error', reject).end();
    });

  const install = async (certificate: TestCertificate) => {
    await copyFile(certificate.cert, files.cert);
    await copyFile(certificate.key, files.key);
  };

  const reloads = () =>
    service.lines.filter((line) => /reloaded|kept the current certificate/.test(String(line.msg)));

  const hangUpAndWait = async () => {
    const before = reloads().length;
    service.hangUp();
    const deadline = Date.now() + 10_000;
    while (reloads().length === before) {
      if (Date.now() > deadline) throw new Error('the service did not answer SIGHUP');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return reloads().at(-1)!;
  };

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    [first, renewed] = await Promise.all([
      makeCertificate(undefined, 'first certificate'),
      makeCertificate(undefined, 'renewed certificate'),
    ]);
    ca = await Promise.all([readFile(first.ca), readFile(renewed.ca)]);
    const dir = await mkdtemp(path.join(tmpdir(), 'cs-tls-reload-'));
    files = { cert: path.join(dir, 'cs.crt'), key: path.join(dir, 'cs.key') };
    await install(first);
    const port = await freePort();
    service = new ServiceProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite::memory:',
      SWEEP_INTERVAL: '0',
      TLS_CERT_FILE: files.cert,
      TLS_KEY_FILE: files.key,
    });
    await service.logged(/listening on https:/);
    base = `https://127.0.0.1:${port}`;
  });

  afterAll(() => service?.kill());

  it('serves new connections with the renewed certificate and keeps the open one', async () => {
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(kept)).toEqual({ status: 200, servedBy: 'first certificate', reused: false });

    await install(renewed);
    expect((await hangUpAndWait()).msg).toMatch(/^reloaded /);

    expect(await get(kept)).toEqual({ status: 200, servedBy: 'first certificate', reused: true });
    const fresh = new Agent({ keepAlive: false });
    expect(await get(fresh)).toEqual({
      status: 200,
      servedBy: 'renewed certificate',
      reused: false,
    });
    kept.destroy();
  });

  it('keeps the current certificate when the new files do not check out, and keeps running', async () => {
    await install(renewed);
    await hangUpAndWait();

    await writeFile(files.key, 'not a key\n');
    const broken = await hangUpAndWait();
    expect(broken.msg).toMatch(/^kept the current certificate: TLS_KEY_FILE/);

    // A key of another certificate than the one in TLS_CERT_FILE.
    await copyFile(first.key, files.key);
    const mismatched = await hangUpAndWait();
    expect(mismatched.msg).toMatch(/kept the current certificate: .*not the private key/);

    expect(service.running).toBe(true);
    const fresh = new Agent({ keepAlive: false });
    expect(await get(fresh)).toEqual({
      status: 200,
      servedBy: 'renewed certificate',
      reused: false,
    });
  });
});
