import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

const ROOT = path.resolve(__dirname, '../../..');
const VANT_LIB = path.join(ROOT, 'node_modules/@vant/weapp/lib');
const PAGES = path.join(ROOT, 'miniprogram/pages');

const loadedPages = new Map<string, string>();

/**
 * The page's Vant components, each loaded from @vant/weapp/lib with its real WXML. Each load runs in
 * isolated modules: Vant components share files (button contains loading and icon), and a component file
 * that jest has already required would not call Component() again for the new registration.
 */
function loadVantComponents(pageUsingComponents: Record<string, string>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [tag, request] of Object.entries(pageUsingComponents)) {
    const name = /^@vant\/weapp\/([\w-]+)\/index$/.exec(request)?.[1];
    if (!name) throw new Error(`${tag}: ${request} is not a Vant component`);
    jest.isolateModules(() => {
      ids[tag] = simulate.load(path.join(VANT_LIB, name, 'index'), tag, { rootPath: VANT_LIB });
    });
  }
  return ids;
}

function loadPage(page: string): string {
  let id = loadedPages.get(page);
  if (!id) {
    const pagePath = path.join(PAGES, page, 'index');
    const json = JSON.parse(fs.readFileSync(`${pagePath}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
    id = simulate.load(pagePath, { usingComponents: loadVantComponents(json.usingComponents ?? {}) });
    loadedPages.set(page, id);
  }
  return id;
}

/** Renders a page (loaded once per test file) and attaches it, which starts its store bindings. */
export function renderPage(page: 'home' | 'mall' | 'me') {
  const comp = simulate.render(loadPage(page));
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

export type RenderedPage = ReturnType<typeof renderPage>;

/** What a person sees: the page's text with whitespace collapsed. */
export function visibleText(comp: { dom?: HTMLElement }): string {
  return (comp.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Store changes reach the page on the next tick (wx.nextTick); requests resolve on microtasks. */
export const settle = () => simulate.sleep(20);

/** Vant transitions (a toast appearing) step in 1000/30 ms frames. */
export const settleAnimations = () => simulate.sleep(120);
