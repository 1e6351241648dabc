import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import request from 'supertest';
import { LOG_DESTINATION } from '../src/logging/logging.module';
import { makeCertificate, TestCertificate } from './support/certificates';
import { LogCapture } from './support/log-capture';
import { createTestApp, TestApp } from './support/test-app';

/** The headers every answer carried before they were fitted to the transport, HSTS aside. */
const EVERY_TRANSPORT = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

type Headers = Record<string, string | string[] | undefined>;

function expectPlainHttpHeaders(headers: Headers): void {
  for (const name of EVERY_TRANSPORT) expect(headers[name]).toBeDefined();
  expect(headers['strict-transport-security']).toBeUndefined();
  expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
}

function expectHttpsHeaders(headers: Headers): void {
  for (const name of EVERY_TRANSPORT) expect(headers[name]).toBeDefined();
  expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
}

/** The paths whose headers are checked: an API answer (an error one), the docs, health. */
const PATHS = ['/genesys/1/cs/services/1', '/docs', '/health'];

describe('security headers fitted to the transport (docs/API.md §7)', () => {
  describe('served over plain HTTP, no proxy trusted', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it.each(PATHS)('%s carries no HSTS and no upgrade-insecure-requests', async (path) => {
      expectPlainHttpHeaders((await request(t.server).get(path)).headers);
    });

    it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
      const response = await request(t.server)
        .get('/health')
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'cs.example.test');
      expectPlainHttpHeaders(response.headers);
    });
  });

  describe('behind a proxy listed in TRUST_PROXY', () => {
    let t: TestApp;
    const logs = new LogCapture();
    beforeAll(async () => {
      t = await createTestApp({
        env: { TRUST_PROXY: '10.0.0.0/8, 127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
        override: (builder) => builder.overrideProvider(LOG_DESTINATION).useValue(logs),
      });
    });
    afterAll(() => t.close());

    it.each(PATHS)('%s over HTTPS at the proxy carries HSTS', async (path) => {
      const response = await request(t.server).get(path).set('X-Forwarded-Proto', 'https');
      expectHttpsHeaders(response.headers);
    });

    it('keeps plain HTTP headers when the proxy reports http', async () => {
      const response = await request(t.server).get('/health').set('X-Forwarded-Proto', 'http');
      expectPlainHttpHeaders(response.headers);
    });

    it("logs the client's address the proxy reports, not the proxy's", async () => {
      const response = await request(t.server)
        .get('/health')
        .set('X-Request-Id', 'forwarded-1')
        .set('X-Forwarded-For', '203.0.113.7, 10.1.2.3');
      expect(response.status).toBe(200);
      const [line] = logs.of('forwarded-1');
      expect(line).toMatchObject({ req: { remoteAddress: '203.0.113.7' } });
    });
  });

  describe('behind a proxy that is not the peer', () => {
    let t: TestApp;
    const logs = new LogCapture();
    beforeAll(async () => {
      t = await createTestApp({
        env: { TRUST_PROXY: '10.0.0.0/8', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
        override: (builder) => builder.overrideProvider(LOG_DESTINATION).useValue(logs),
      });
    });
    afterAll(() => t.close());

    it('believes none of the X-Forwarded headers of a loopback peer', async () => {
      const response = await request(t.server)
        .get('/health')
        .set('X-Request-Id', 'forwarded-2')
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-For', '203.0.113.7');
      expectPlainHttpHeaders(response.headers);
      const [line] = logs.of('forwarded-2');
      expect(line).toMatchObject({ req: { remoteAddress: '127.0.0.1' } });
    });
  });

  describe('served over TLS directly (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
    let t: TestApp;
    let base: string;
    let certificate: TestCertificate;
    beforeAll(async () => {
      certificate = await makeCertificate();
      t = await createTestApp({
        env: { TLS_CERT_FILE: certificate.cert, TLS_KEY_FILE: certificate.key },
      });
      base = await t.listen();
    });
    afterAll(() => t.close());

    it.each(PATHS)('%s carries HSTS, verified against the test authority', async (path) => {
      const ca = await readFile(certificate.ca);
      const headers = await new Promise<Headers>((resolve, reject) => {
        httpsRequest(`${base}${path}`, { ca }, (response) => {
          response.resume();
          resolve(response.headers);
        })
          .once('error', reject)
          .end();
      });
      expect(base.startsWith('https://')).toBe(true);
      expectHttpsHeaders(headers);
    });
  });

  describe('settings that stop the boot, naming the variable', () => {
    let certificate: TestCertificate;
    beforeAll(async () => {
      certificate = await makeCertificate();
    });

    it.each([
      [{ TLS_CERT_FILE: '/nonexistent/cs.crt', TLS_KEY_FILE: 'x' }, /TLS_CERT_FILE: cannot read/],
      [{ TLS_CERT_FILE: 'CERT' }, /TLS_KEY_FILE must be set with TLS_CERT_FILE/],
      [{ TLS_KEY_FILE: 'KEY' }, /TLS_CERT_FILE must be set with TLS_KEY_FILE/],
      [{ TLS_CERT_FILE: 'KEY', TLS_KEY_FILE: 'KEY' }, /TLS_CERT_FILE: .* holds no PEM certificate/],
      [
        { TLS_CERT_FILE: 'CERT', TLS_KEY_FILE: 'CERT' },
        /TLS_KEY_FILE: .* holds no PEM private key/,
      ],
      [
        { TLS_CERT_FILE: 'CERT', TLS_KEY_FILE: 'CA_KEY' },
        /TLS_KEY_FILE: .* is not the private key/,
      ],
      [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY entry "10.0.0.0\/33"/],
      [{ TRUST_PROXY: 'proxy.example.test' }, /TRUST_PROXY entry "proxy.example.test"/],
    ])('refuses %p', async (env, message) => {
      const files: Record<string, string> = {
        CERT: certificate.cert,
        KEY: certificate.key,
        CA_KEY: certificate.ca.replace(/ca\.crt$/, 'ca.key'),
      };
      const resolved = Object.fromEntries(
        Object.entries(env).map(([name, value]) => [name, files[value] ?? value]),
      );
      await expect(createTestApp({ env: resolved })).rejects.toThrow(message);
    });
  });
});
