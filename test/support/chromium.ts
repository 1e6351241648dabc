import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, never a browser download, headless, in a fresh temporary profile (Playwright makes one
 * per launch); the flags keep it off the network, which is closed here.
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
    ],
  });
}
