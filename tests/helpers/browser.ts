import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium; a browser is never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');

/**
 * Whether Chromium is installed. Browser tests say so in their names; under CI (which installs it)
 * they must run, on a developer machine without it they are skipped.
 */
export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM}; .ci/run installs it with apt-get`);
  return false;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface OfflinePage {
  page: Page;
  context: BrowserContext;
  /** Every request for another host, each refused. */
  outside: string[];
  errors: string[];
}

/** A page that can reach the gateway and nothing else: any other host is refused and recorded. */
export async function offlinePage(
  browser: Browser,
  gatewayUrl: string,
  options: { locale?: string; viewport?: { width: number; height: number }; javaScriptEnabled?: boolean } = {},
): Promise<OfflinePage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const own = new URL(gatewayUrl).host;
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === own || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, context, outside, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
