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

/**
 * Text whose contrast with what is behind it is under WCAG AA: 4.5:1, or 3:1 for large text (24 px, or
 * 18.66 px bold). The background is the nearest opaque background colour behind the text.
 */
export function lowContrastText(tab: Page, within = '.wx-page'): Promise<LowContrast[]> {
  return tab.evaluate((rootSelector) => {
    const parse = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const f = (c: number) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const backgroundOf = (element: Element | null): string => {
      for (let node = element; node; node = node.parentElement) {
        const bg = getComputedStyle(node).backgroundColor;
        const rgba = parse(bg);
        if (rgba.length >= 3 && (rgba.length < 4 || rgba[3] > 0.5)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const problems: LowContrast[] = [];
    const root = document.querySelector(rootSelector) ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const element = node.parentElement;
      if (!text || !element) continue;
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      if (style.visibility === 'hidden' || rect.width === 0 || rect.height === 0) continue;
      const color = parse(style.color);
      const background = backgroundOf(element);
      const opacity = Number(style.opacity);
      if (color.length === 4 && color[3] < 1) continue; // translucent text is decoration here
      const [hi, lo] = [luminance(color), luminance(parse(background))].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const fontSize = parseFloat(style.fontSize);
      const large = fontSize >= 24 || (fontSize >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio * Math.min(1, opacity) < (large ? 3 : 4.5)) {
        problems.push({ text, ratio: Math.round(ratio * 100) / 100, color: style.color, background, fontSize });
      }
    }
    return problems;
  }, within);
}
