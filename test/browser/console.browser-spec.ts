import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { Browser, Page } from 'playwright-core';
import { launchChromium, underHostName } from '../support/chromium';
import { createTestApp, TestApp, uniqueId } from '../support/test-app';
import { CONSOLE_DIR } from '../../src/console/console-static';
import { API_BASE_PATH } from '../../src/http/api-base-path';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const KEYS = { writer: 'writer-key-0123456789', reader: 'reader-key-0123456789' };
const API = API_BASE_PATH;

/** An API answer's JSON, read by the test as loosely as supertest's bodies. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The journey console (console/, served at /console) in Debian's Chromium, against a real service: a
 * journey made by composite start and plain starts is drawn with the right lanes, segments and marks; a
 * state's extensions show when it is selected; a task completed from the console is completed in the API; a
 * reader key gets no manage action; the dashboard shows what the statistics say; a deep link reloads to the
 * same view. Screenshots at 1280×800 and 390 px go to test-results/.
 */
describe('the journey console in Chromium', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let browser: Browser;
  /** The test's own calls go to loopback; the browser opens the same server under a host name. */
  let origin: string;
  let base: string;
  const tenant = uniqueId('console');
  const customer = uniqueId('caller');
  let ids: { sales: number; identify: number; verify: number; support: number; queue: number };

  const api = async (method: string, path: string, body?: unknown, key = KEYS.writer) => {
    const response = await fetch(`${origin}${API}${path}`, {
      method,
      headers: {
        ContactCenterId: tenant,
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json: Json = text ? JSON.parse(text) : undefined;
    return { status: response.status, body: json };
  };

  beforeAll(async () => {
    if (!existsSync(`${CONSOLE_DIR}/index.html`)) {
      throw new Error(`${CONSOLE_DIR} is missing: run npm run build first`);
    }
    t = await createTestApp({
      env: {
        SWEEP_INTERVAL: '0',
        API_KEYS: `ui-writer:writer:${sha256(KEYS.writer)},ui-reader:reader:${sha256(KEYS.reader)}`,
      },
    });
    origin = await t.listen();
    base = underHostName(origin);
    browser = await launchChromium();
    await mkdir('test-results', { recursive: true });

    // A call that went through the IVR by composite start 25 minutes ago and on to an agent, then a chat
    // started and worked by plain starts.
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const composite = await api('POST', '/services_composite/start', {
      services: [
        {
          service: {
            customer_id: customer,
            service_type: 'Sales',
            media_type: 'voice',
            timestamp: ago(25),
          },
          state: {
            state_type: 'Identify',
            timestamp: ago(24),
            FeedbackState: { rating: 5, comment: 'quick' },
          },
          task: { task_type: 'Verify', timestamp: ago(22) },
        },
      ],
    });
    const [event] = composite.body.services;
    const transition = await api(
      'POST',
      `/services/${event.service.service_id}/states/transition`,
      {
        from: { state_id: event.state.state_id },
        to: { state_type: 'Agent' },
        timestamp: ago(16),
      },
    );
    expect(transition.status).toBe(201);
    const support = await api('POST', '/services/start', {
      customer_id: customer,
      service_type: 'Support',
      media_type: 'chat',
      timestamp: ago(9),
    });
    const queue = await api('POST', `/services/${support.body.service_id}/states/start`, {
      state_type: 'Queue',
      timestamp: ago(8),
    });
    await api('POST', `/services/${support.body.service_id}/tasks/start`, {
      task_type: 'Callback',
      timestamp: ago(4),
    });
    ids = {
      sales: event.service.service_id,
      identify: event.state.state_id,
      verify: event.task.task_id,
      support: support.body.service_id,
      queue: queue.body.state_id,
    };
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(path: string, key: string, viewport = { width: 1280, height: 800 }) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${base}${path}`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
    return page;
  }

  const lane = (page: Page, serviceId: number) =>
    page.locator(`g.lane[data-service-id="${serviceId}"]`);

  it('serves its page uncached on every route, so that a new build shows at once; hashed assets for good', async () => {
    for (const path of ['/console', '/console/', '/console/index.html', '/console/customers/x']) {
      const response = await fetch(`${origin}${path}`);
      expect([path, response.status, response.headers.get('cache-control')]).toEqual([
        path,
        200,
        'no-cache',
      ]);
    }
    const page = await (await fetch(`${origin}/console/`)).text();
    const asset = /\/console\/assets\/[^"]+\.js/.exec(page)?.[0];
    expect(asset).toBeDefined();
    const script = await fetch(`${origin}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('draws the journey: a lane per service, its states as segments, its tasks as marks', async () => {
    const page = await signedIn(`/console/customers/${customer}?tenant=${tenant}`, KEYS.writer);
    await lane(page, ids.sales).waitFor();
    expect(await page.locator('g.lane').count()).toBe(2);
    // Identify (the composite start's, completed by the transition) and Agent.
    expect(await lane(page, ids.sales).locator('.item.state').count()).toBe(2);
    expect(await lane(page, ids.sales).locator('.item.task').count()).toBe(1);
    expect(await lane(page, ids.support).locator('.item.state').count()).toBe(1);
    expect(await lane(page, ids.support).locator('.item.task').count()).toBe(1);
    await expect(lane(page, ids.support).locator('.lane-sub').textContent()).resolves.toContain(
      'chat',
    );
    await page.screenshot({ path: 'test-results/console-timeline-desktop.png' });
    await page.close();
  });

  it("shows a state's extensions when it is selected, from the keyboard too", async () => {
    const page = await signedIn(`/console/customers/${customer}?tenant=${tenant}`, KEYS.writer);
    const state = page.locator(`.item.state[data-id="${ids.identify}"]`);
    await state.focus();
    await page.keyboard.press('Enter');
    const details = page.locator(`aside.details[data-kind="state"][data-id="${ids.identify}"]`);
    await details.waitFor();
    const extensions = JSON.parse((await details.locator('pre.extensions').textContent())!);
    expect(extensions).toEqual({ FeedbackState: { rating: 5, comment: 'quick' } });
    await page.close();
  });

  it('completes a task from the console, and the API confirms it', async () => {
    const page = await signedIn(`/console/customers/${customer}?tenant=${tenant}`, KEYS.writer);
    await page.locator(`.item.task[data-id="${ids.verify}"]`).click();
    const manage = page.getByRole('region', { name: 'Manage' });
    await manage.getByLabel('Disposition').fill('Verified');
    await manage.getByRole('button', { name: 'Complete task' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `task ${ids.verify} completed` })
      .waitFor();
    const task = await api('GET', `/services/${ids.sales}/tasks/${ids.verify}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      disposition: 'Verified',
      completed: { timestamp: expect.any(String) },
    });
    await page.close();
  });

  it('adds a note to a service from its details, and the API lists it', async () => {
    const page = await signedIn(`/console/customers/${customer}?tenant=${tenant}`, KEYS.writer);
    // Its states cover the middle of the service's bar: selected from the keyboard.
    await page.locator(`.item.service[data-id="${ids.sales}"]`).focus();
    await page.keyboard.press('Enter');
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByText('none').waitFor();
    await notes.getByLabel('New note').fill('Call back after 6 pm');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.locator('.note-list li').filter({ hasText: 'Call back after 6 pm' }).waitFor();
    expect(await notes.getByLabel('New note').inputValue()).toBe('');
    const listed = await api('GET', `/services/${ids.sales}/notes`);
    expect(listed.body).toEqual([expect.objectContaining({ text: 'Call back after 6 pm' })]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/console-notes-phone.png', fullPage: true });
    await page.close();
  });

  it('offers a reader key no manage action', async () => {
    const page = await signedIn(`/console/services/${ids.support}?tenant=${tenant}`, KEYS.reader);
    await expect(page.locator('.who').textContent()).resolves.toContain('reader');
    await page.locator(`.item.state[data-id="${ids.queue}"]`).click();
    await page.locator('aside.details').waitFor();
    expect(await page.getByRole('region', { name: 'Manage' }).count()).toBe(0);
    expect(
      await page.getByRole('button', { name: /Complete|Delete|Transition|Add note/ }).count(),
    ).toBe(0);
    await page.close();
  });

  it('reloads a deep link to the same view, still signed in for the tab', async () => {
    const page = await signedIn(`/console/services/${ids.sales}?tenant=${tenant}`, KEYS.writer);
    await lane(page, ids.sales).waitFor();
    await page.reload();
    await lane(page, ids.sales).waitFor();
    expect(page.url()).toBe(`${base}/console/services/${ids.sales}?tenant=${tenant}`);
    expect(await page.locator('g.lane').count()).toBe(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/console/customers/${customer}?tenant=${tenant}`);
    await lane(page, ids.support).waitFor();
    await page.locator(`.item.state[data-id="${ids.identify}"]`).click();
    await page.locator('aside.details').waitFor();
    await page.screenshot({ path: 'test-results/console-timeline-phone.png', fullPage: true });
    await page.close();
  });

  it('shows on the dashboard what the statistics endpoint holds for the tenant', async () => {
    // The call is over: its service completes with a disposition, so the day has a duration and one.
    expect((await api('POST', `/services/${ids.sales}/end`, { disposition: 'Sold' })).status).toBe(
      204,
    );
    const page = await signedIn(`/console/dashboard?tenant=${tenant}`, KEYS.reader);
    await page.locator('.figures').waitFor();
    const stats = (await api('GET', '/stats/services?bucket=1h', undefined, KEYS.reader)).body;
    const total = (name: string) =>
      stats.by_type.reduce((sum: number, type: Record<string, number>) => sum + type[name], 0);
    const figure = async (name: string) =>
      Number(await page.locator(`[data-figure="${name}"] .value`).textContent());
    expect(await figure('active')).toBe(total('active'));
    expect(await figure('started')).toBe(total('started'));
    expect(await figure('completed')).toBe(total('completed'));
    expect(total('started')).toBe(2);
    for (const type of stats.by_type) {
      const row = page.locator(`tr[data-type="${type.service_type}"] td`);
      expect(await row.allTextContents()).toEqual(
        expect.arrayContaining([String(type.active), String(type.started), String(type.completed)]),
      );
    }
    expect(await page.locator('canvas').count()).toBe(3);
    expect(await page.locator('tr[data-disposition="Sold"] td').textContent()).toBe('1');
    await page.screenshot({ path: 'test-results/console-dashboard-desktop.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/console-dashboard-phone.png', fullPage: true });
    await page.close();
  });
  it('lists what is in flight, the longest-running first, past-estimate ones marked, and links there from the dashboard', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const late = await api('POST', '/services/start', {
      customer_id: uniqueId('late'),
      service_type: 'Billing',
      est_duration: 60,
      timestamp: ago(30),
    });
    await api('POST', `/services/${late.body.service_id}/states/start`, { state_type: 'Queue' });
    const page = await signedIn(`/console/dashboard?tenant=${tenant}`, KEYS.reader);
    await page.locator('[data-figure="active"]').click();
    await page.waitForURL(/\/console\/active\?tenant=/);
    const rows = page.locator('.worklist tbody tr');
    await rows.first().waitFor();
    const listed = await rows.evaluateAll((trs) =>
      trs.map((tr) => Number(tr.getAttribute('data-service-id'))),
    );
    const active = (await api('GET', '/services?status=active', undefined, KEYS.reader)).body.map(
      (service: { service_id: number }) => service.service_id,
    );
    expect(listed).toEqual(active);
    expect(listed[0]).toBe(late.body.service_id);
    const first = page.locator(`tr[data-service-id="${late.body.service_id}"]`);
    expect(await first.locator('.badge.late').textContent()).toContain(
      'over its estimate (1 min 0 s)',
    );
    expect(await first.locator('td[data-label="now in"]').textContent()).toBe('Queue');
    expect(await first.locator('td[data-label="running for"]').textContent()).toMatch(/^30 min/);
    await page.screenshot({ path: 'test-results/console-active-desktop.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/console-active-phone.png', fullPage: true });
    // Nothing to the side on a phone: the page is as wide as the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await first.locator('td[data-label="type"] a').click();
    await page.waitForURL(/\/console\/active\/Billing\?tenant=/);
    await page.locator('.worklist h1', { hasText: 'In flight · Billing' }).waitFor();
    // The rows of the Billing list, once it has loaded.
    await page.waitForFunction(
      `[...document.querySelectorAll('.worklist tbody tr')].map((tr) => tr.dataset.serviceId).join() === '${late.body.service_id}'`,
    );
    await page.locator(`tr[data-service-id="${late.body.service_id}"] th a`).click();
    await page.waitForURL(new RegExp(`/console/services/${late.body.service_id}\\?tenant=`));
    await page.close();
  });
});
