import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { launchChromium, pageProblems, underHostName } from '../support/chromium';
import { SEED_ANSWER, tryCompositeStart } from '../support/swagger-ui';
import { createTestApp, TestApp } from '../support/test-app';

const SCREENSHOT = 'test-results/swagger-composite.png';

describe('Swagger UI in Chromium, under a host name', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = underHostName(await t.listen());
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('runs the prefilled seed example of composite start and shows the 200 with its created flags', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const problems = pageProblems(page);
    const { operation, live, body } = await tryCompositeStart(page, base);
    expect(body).toEqual(SEED_ANSWER);
    expect(problems).toEqual([]);

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
