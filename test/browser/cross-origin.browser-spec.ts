import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { launchChromium, underHostName } from '../support/chromium';
import { createTestApp, TestApp, uniqueId } from '../support/test-app';

/**
 * A page served from another origin reads a journey with fetch, as Genesys's demo page does with $.get:
 * allowed by CORS_ORIGINS, it starts a service with tenant headers (so a preflight runs), reads Location
 * and X-Request-Id, then reads the service back; the same page from an origin not listed is refused.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>desk</title><pre id="out">…</pre>
<script>
async function run(api, customer) {
  try {
    const started = await fetch(api + '/genesys/1/cs/services/start', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ContactCenterId: 'desk', 'X-Request-Id': 'desk-1' },
      body: JSON.stringify({ customer_id: customer, service_type: 'Sales' }),
    });
    const location = started.headers.get('Location');
    const read = await fetch(api + location, { headers: { ContactCenterId: 'desk' } });
    return { status: started.status, location, requestId: started.headers.get('X-Request-Id'), service: await read.json() };
  } catch (error) {
    return { error: String(error) };
  }
}
</script>`;

describe('a page from another origin', () => {
  let pages: Server;
  let pagePort: number;
  let t: TestApp;
  let api: string;
  let browser: Browser;

  beforeAll(async () => {
    pages = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagePort = (pages.address() as AddressInfo).port;
    t = await createTestApp({ env: { CORS_ORIGINS: `http://desk.example.test:${pagePort}` } });
    api = underHostName(await t.listen());
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  const runFrom = async (origin: string, customer: string) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/desk.html`);
      return await page.evaluate(
        ([base, id]) =>
          (globalThis as unknown as { run: (a: string, c: string) => Promise<unknown> }).run(
            base,
            id,
          ),
        [api, customer],
      );
    } finally {
      await page.close();
    }
  };

  it('starts and reads a service when its origin is allowed', async () => {
    const customer = uniqueId();
    const result = (await runFrom(`http://desk.example.test:${pagePort}`, customer)) as {
      status: number;
      location: string;
      requestId: string;
      service: { customer_id: string };
    };
    expect(result).toMatchObject({
      status: 201,
      location: expect.stringMatching(/^\/genesys\/1\/cs\/services\/\d+$/),
      requestId: 'desk-1',
      service: { customer_id: customer, service_type: 'Sales' },
    });
  });

  it('is refused by the browser when its origin is not listed', async () => {
    const customer = uniqueId();
    const result = (await runFrom(`http://other.example.test:${pagePort}`, customer)) as {
      error?: string;
    };
    expect(result.error).toMatch(/TypeError/);
    const [row] = await t.dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM services WHERE customer_id = ?',
      [customer],
    );
    // The preflight failed, so the POST was never sent.
    expect(Number(row.n)).toBe(0);
  });
});
