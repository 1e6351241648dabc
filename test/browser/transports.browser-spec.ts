import { mkdir } from 'node:fs/promises';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { makeCertificate, TestCertificate } from '../support/certificates';
import { launchChromium, onLoopback, pageProblems, underHostName } from '../support/chromium';
import { RunningProxy, startHaproxy, startNginx } from '../support/proxies';
import { SEED_ANSWER, tryCompositeStart } from '../support/swagger-ui';
import { createTestApp, TestApp, uniqueId } from '../support/test-app';
import { API_BASE_PATH } from '../../src/http/api-base-path';

const API = API_BASE_PATH;

interface Transport {
  name: string;
  /** Short, for file names. */
  slug: string;
  https: boolean;
  base: () => string;
}

/**
 * The service as a contact centre deploys it, opened from "another machine" (a host name that is not
 * loopback): on plain HTTP, behind HAProxy and behind nginx terminating TLS (the README's example
 * configurations, config/proxy/), and serving TLS itself. On each, every page the browser suite opens works
 * with no request failing and nothing refused: Swagger UI's "Try it out", the console's deep link (which
 * opens at once, access control being off), a manage action, the dashboard.
 */
describe('the console and Swagger UI on every transport', () => {
  jest.setTimeout(60_000);
  let certificate: TestCertificate;
  /** One service per transport, so that each starts empty (Swagger UI's example uses the default tenant). */
  const apps: TestApp[] = [];
  let haproxy: RunningProxy;
  let nginx: RunningProxy;
  let browser: Browser;
  const bases: Record<string, string> = {};

  const TRANSPORTS: Transport[] = [
    { name: 'plain HTTP', slug: 'http', https: false, base: () => bases.http },
    { name: 'HAProxy terminating TLS', slug: 'haproxy', https: true, base: () => bases.haproxy },
    { name: 'nginx terminating TLS', slug: 'nginx', https: true, base: () => bases.nginx },
    { name: 'TLS served directly', slug: 'tls', https: true, base: () => bases.tls },
  ];

  beforeAll(async () => {
    certificate = await makeCertificate();
    // One after the other: each is made under its own environment variables.
    const own: Record<string, string>[] = [
      {},
      {},
      {},
      { TLS_CERT_FILE: certificate.cert, TLS_KEY_FILE: certificate.key },
    ];
    for (const env of own) {
      apps.push(
        await createTestApp({ env: { SWEEP_INTERVAL: '0', TRUST_PROXY: '127.0.0.1', ...env } }),
      );
    }
    const [plainUrl, haproxyBackend, nginxBackend, directUrl] = await Promise.all(
      apps.map((app) => app.listen()),
    );
    const portOf = (url: string) => Number(new URL(url).port);
    [haproxy, nginx] = await Promise.all([
      startHaproxy(portOf(haproxyBackend), certificate),
      startNginx(portOf(nginxBackend), certificate),
    ]);
    bases.http = underHostName(plainUrl);
    bases.haproxy = `https://proxy.example.test:${haproxy.port}`;
    bases.nginx = `https://nginx.example.test:${nginx.port}`;
    bases.tls = underHostName(directUrl, 'tls.example.test');
    browser = await launchChromium();
    await mkdir('test-results', { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await haproxy?.stop();
    await nginx?.stop();
    await Promise.all(apps.map((app) => app.close()));
  });

  describe.each(TRANSPORTS)('$name', (transport) => {
    let context: BrowserContext;
    const tenant = uniqueId(`tour-${transport.slug}`);
    const customer = uniqueId('caller');
    let ids: { service: number; task: number };

    /** A page that records what went wrong on it, and the document's own answer. */
    const open = async (path: string, viewport = { width: 1280, height: 800 }) => {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const problems = pageProblems(page);
      const response = await page.goto(`${transport.base()}${path}`);
      return { page, problems, headers: response!.headers() };
    };

    const expectTransportHeaders = (headers: Record<string, string>) => {
      if (transport.https) {
        expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      } else {
        expect(headers['strict-transport-security']).toBeUndefined();
        expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      }
    };

    const lane = (page: Page) => page.locator(`g.lane[data-service-id="${ids.service}"]`);

    beforeAll(async () => {
      // The certificate is the test's own authority's: the browser is told to accept it.
      context = await browser.newContext({ ignoreHTTPSErrors: true });
      const started = await context.request.post(
        onLoopback(`${transport.base()}${API}/services_composite/start`),
        {
          headers: { ContactCenterId: tenant },
          data: {
            services: [
              {
                service: { customer_id: customer, service_type: 'Sales', media_type: 'voice' },
                state: { state_type: 'Identify' },
                task: { task_type: 'Verify' },
                associate_state_task: true,
              },
            ],
          },
        },
      );
      expect(started.status()).toBe(200);
      const [event] = (await started.json()).services;
      ids = { service: event.service.service_id, task: event.task.task_id };
    });

    afterAll(() => context?.close());

    it('Swagger UI runs composite start with "Try it out"', async () => {
      const page = await context.newPage();
      const problems = pageProblems(page);
      const { body } = await tryCompositeStart(page, transport.base());
      expect(body).toEqual(SEED_ANSWER);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("opens a customer's deep link at once, with no sign-in, and draws the journey", async () => {
      const { page, problems, headers } = await open(
        `/console/customers/${customer}?tenant=${tenant}`,
      );
      await lane(page).waitFor();
      expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
      expect(await lane(page).locator('.item.state').count()).toBe(1);
      expectTransportHeaders(headers);
      await page.screenshot({ path: `test-results/transport-${transport.slug}-desktop.png` });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({
        path: `test-results/transport-${transport.slug}-phone.png`,
        fullPage: true,
      });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('completes a task from the console', async () => {
      const { page, problems } = await open(`/console/customers/${customer}?tenant=${tenant}`);
      await page.locator(`.item.task[data-id="${ids.task}"]`).click();
      const manage = page.getByRole('region', { name: 'Manage' });
      await manage.getByLabel('Disposition').fill('Verified');
      await manage.getByRole('button', { name: 'Complete task' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `task ${ids.task} completed` })
        .waitFor();
      const task = await context.request.get(
        onLoopback(`${transport.base()}${API}/services/${ids.service}/tasks/${ids.task}`),
        { headers: { ContactCenterId: tenant } },
      );
      expect(await task.json()).toMatchObject({ disposition: 'Verified' });
      expect(problems).toEqual([]);
      await page.close();
    });

    it("shows the tenant's dashboard", async () => {
      const { page, problems, headers } = await open(`/console/dashboard?tenant=${tenant}`);
      await page.locator('.figures').waitFor();
      await page.locator('canvas').first().waitFor();
      expect(Number(await page.locator('[data-figure="started"] .value').textContent())).toBe(1);
      expectTransportHeaders(headers);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
