import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../helpers/server-process.js';

export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'e2e');

/** Debian's chromium, headless, with the flags this network-less machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Keeps a full-page screenshot as a CI artifact under test-results/e2e/. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Starts the real server (embedded by default; PostgreSQL/Redis when their URLs are set) on localhost and a
 * browser for one test file. localhost, not 127.0.0.1, so Chromium keeps the Secure refresh cookie.
 */
export function useBrowserApp() {
  const ctx = { server: undefined as unknown as RunningServer, browser: undefined as unknown as Browser };
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'onering-e2e-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
    if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
    ctx.server = await startServer(env, 'localhost');
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return ctx;
}
