import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AxeResults, Result } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createEmptyPostgresDatabase } from '../helpers/database.js';
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

/**
 * Keeps a screenshot as a CI artifact under test-results/e2e/: the full page, or with `screen` what the
 * screen shows (a modal dialog scrolls inside itself, so a full-page picture would cut it off).
 */
export async function snap(page: Page, name: string, { screen = false } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: !screen });
}

/** The viewports every page is looked at in: a laptop and a 390 px phone. */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

/**
 * Runs axe-core in the page as it is now and fails on any serious or critical violation, printing them.
 * axe is evaluated through the DevTools protocol, which the app's CSP (script-src 'self') does not block
 * — a <script> tag would be.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  if (blocking.length > 0) console.error(`axe on ${name} (${page.url()}):\n${describeViolations(blocking)}`);
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `accessibility of ${name}`).toEqual([]);
}

/**
 * The page is no wider than the screen: nothing makes a phone scroll sideways. Compared with the viewport
 * asked for, not innerWidth: an emulated phone, like a real one, widens its layout viewport to fit wide
 * content, so innerWidth grows with the overflow.
 */
export async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const screen = page.viewportSize()!.width;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${name} is ${scrollWidth}px wide on a ${screen}px screen`).toBeLessThanOrEqual(screen);
}

/**
 * Starts the real server (embedded by default; PostgreSQL/Redis when their URLs are set) on localhost and a
 * browser for one test file. localhost, not 127.0.0.1, so Chromium keeps the Secure refresh cookie. `env` adds
 * to the server's environment (`ADMIN_EMAILS`, say).
 */
export function useBrowserApp({ env: extraEnv = {} }: { env?: Record<string, string> } = {}) {
  const ctx = { server: undefined as unknown as RunningServer, browser: undefined as unknown as Browser };
  let dataDir = '';
  let postgres: Awaited<ReturnType<typeof createEmptyPostgresDatabase>> | null = null;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'onering-e2e-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMITS: 'off', ...extraEnv };
    // Each file its own database, as the embedded one is: what one file's writers did is not on another's board.
    if (process.env.DATABASE_URL) {
      postgres = await createEmptyPostgresDatabase(process.env.DATABASE_URL);
      env.DATABASE_URL = postgres.url;
    }
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
    ctx.server = await startServer(env, 'localhost');
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return ctx;
}
