/**
 * Layout checks in a real browser: the rendered page is drawn exactly as `npm run screens` draws it (same
 * HTML, same compiled WXSS, same WeChat frame) in Debian's Chromium, where sizes, positions and colours
 * can be measured. One browser per test file, started on first use.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import type { Browser, BrowserType, Page } from 'playwright-core';
import { drawingOf } from '../../screens/support/scene';
import type { RenderedPage } from './render';

// Playwright needs Node's fetch classes, which the jsdom environment hides: lend it Node's own.
const nodeGlobal = runInThisContext('globalThis') as Record<string, unknown>;
for (const name of ['Request', 'Response', 'Headers', 'fetch', 'FormData', 'Blob', 'File', 'ReadableStream', 'WritableStream', 'TransformStream', 'TextDecoder', 'TextEncoder', 'setImmediate', 'clearImmediate', 'AbortController', 'AbortSignal', 'structuredClone', 'MessageChannel', 'BroadcastChannel', 'WebSocket']) {
  if (!(name in globalThis)) Object.assign(globalThis, { [name]: nodeGlobal[name] });
}
// Node's own require (playwright does not load under jsdom's export conditions); frame.js is the
// CommonJS script `npm run screens` draws with.
const nodeRequire = createRequire(__filename);
const { chromium } = nodeRequire('playwright-core') as { chromium: BrowserType };
const { documentFor } = nodeRequire('../../../scripts/screens/frame') as { documentFor(capture: object): string };
const audit = nodeRequire('../../../scripts/screens/audit') as { lowContrastText(page: Page, within: string): Promise<LowContrast[]> };

let browser: Browser | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));

afterAll(async () => {
  await browser?.close();
  browser = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The page as it is now, open in Chromium at 375×812. */
export async function inChromium(page: RenderedPage, pageFile: string, options: { fullPage?: boolean } = {}): Promise<Page> {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.html`);
  fs.writeFileSync(file, documentFor({ ...drawingOf(page, pageFile), fullPage: options.fullPage ?? false }));
  const tab = await browser.newPage({ viewport: { width: 375, height: 812 } });
  await tab.goto(pathToFileURL(file).href);
  await tab.evaluate(() => document.fonts.ready);
  return tab;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of everything matching the selector (CSS, in the browser's DOM: classes carry their `main--` prefix). */
export function boxes(tab: Page, selector: string): Promise<Box[]> {
  return tab.$$eval(selector, (nodes) =>
    nodes.map((node) => {
      const r = node.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
  fontSize: number;
}

/** Text under WCAG AA contrast (scripts/screens/audit.js, the same check `npm run screens` runs on every picture). */
export function lowContrastText(tab: Page, within = '.wx-page'): Promise<LowContrast[]> {
  return audit.lowContrastText(tab, within);
}
