import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOT = 'test-results/swagger-composite.png';

describe('Swagger UI in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('runs the prefilled seed example of composite start and shows the 200 with its created flags', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    await page.goto(`${base}/docs`);

    const operation = page.locator('#operations-Composite-CompositeController_start');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('button.execute').click();

    const live = operation.locator('.live-responses-table');
    await live.locator('.response-col_status', { hasText: '200' }).first().waitFor();
    const shown = await live.locator('.response-col_description .microlight').first().innerText();
    expect(JSON.parse(shown)).toEqual({
      services: [
        {
          service: { service_id: expect.any(Number), created: 'true' },
          state: { state_id: expect.any(Number), created: 'true' },
          task: { task_id: expect.any(Number), created: 'true' },
        },
      ],
    });

    // The operation from its title down to the server's response (the documented responses follow), in
    // page coordinates: the clicks scrolled the page, and a full-page clip is measured from its top.
    const pageBox = (locator: typeof operation) =>
      locator.evaluate((element) => {
        const box = element.getBoundingClientRect();
        // Runs in the browser; the project's TypeScript setup has no DOM typings.
        const { scrollX, scrollY } = globalThis as unknown as { scrollX: number; scrollY: number };
        return {
          x: box.x + scrollX,
          y: box.y + scrollY,
          width: box.width,
          height: box.height,
        };
      });
    const top = await pageBox(operation);
    const bottom = await pageBox(live);
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({
      path: SCREENSHOT,
      fullPage: true,
      clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height - top.y },
    });
  }, 60_000);
});
