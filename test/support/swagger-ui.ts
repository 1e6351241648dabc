import { Locator, Page } from 'playwright-core';

/**
 * Opens Swagger UI at `base`/docs, expands composite start, presses "Try it out" and "Execute" with the
 * prefilled seed example, and waits for the 200. Answers the operation's block and its live response.
 */
export async function tryCompositeStart(
  page: Page,
  base: string,
): Promise<{ operation: Locator; live: Locator; body: unknown }> {
  await page.goto(`${base}/docs`);
  const operation = page.locator('#operations-Composite-CompositeController_start');
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.locator('button.execute').click();
  const live = operation.locator('.live-responses-table');
  await live.locator('.response-col_status', { hasText: '200' }).first().waitFor();
  const shown = await live.locator('.response-col_description .microlight').first().innerText();
  return { operation, live, body: JSON.parse(shown) };
}

/** The answer composite start gives for the seed example on an empty tenant. */
export const SEED_ANSWER = {
  services: [
    {
      service: { service_id: expect.any(Number), created: 'true' },
      state: { state_id: expect.any(Number), created: 'true' },
      task: { task_id: expect.any(Number), created: 'true' },
    },
  ],
};
