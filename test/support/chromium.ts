import { Browser, chromium, Page } from 'playwright-core';

/**
 * The host names the browser suites open pages under. Every one maps to loopback, so the traffic stays on
 * this machine, but none is `127.0.0.1` or `localhost`, which browsers treat as secure and exempt from what
 * every other host name meets (`upgrade-insecure-requests`, HSTS, secure-context rules).
 */
export const HOST_NAME = 'cs.example.test';

/** A URL of a test server (`http://127.0.0.1:port/…`) as a colleague on another machine opens it. */
export function underHostName(url: string, host = HOST_NAME): string {
  return url.replace('//127.0.0.1:', `//${host}:`);
}

/**
 * The same URL on loopback, for the test's own calls: only the browser resolves `*.example.test`.
 */
export function onLoopback(url: string): string {
  return url.replace(/\/\/[a-z0-9.-]+\.example\.test:/, '//127.0.0.1:');
}

/**
 * Debian's Chromium, never a browser download, headless, in a fresh temporary profile (Playwright makes one
 * per launch); the flags keep it off the network, which is closed here, and send `*.example.test` to
 * loopback.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP *.example.test 127.0.0.1',
    ],
  });
}

/**
 * What went wrong while a page was open: requests that failed (refused, upgraded to a scheme nothing
 * serves), answers of 400 or more, and what the browser refused to load or apply (content security policy,
 * mixed content). A page in good order leaves the list empty.
 */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Mixed Content|Refused to/i.test(message.text())) {
      problems.push(`refused: ${message.text()}`);
    }
  });
  return problems;
}
