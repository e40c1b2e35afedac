import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

const ROOT = path.resolve(__dirname, '../../..');
const VANT_LIB = path.join(ROOT, 'node_modules/@vant/weapp/lib');
const MINIPROGRAM = path.join(ROOT, 'miniprogram');

const loaded = new Map<string, string>();

type UsingComponents = Record<string, string>;

function readUsingComponents(file: string): UsingComponents {
  const json = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as { usingComponents?: UsingComponents };
  return json.usingComponents ?? {};
}

/** `pages/cohort/index` -> the top folder it is compiled with (WeChat's compiler runs over a whole folder). */
function rootOf(file: string): string {
  return path.join(MINIPROGRAM, path.relative(MINIPROGRAM, file).split(path.sep)[0]);
}

/**
 * The component ids for a page's or component's `usingComponents`: each Vant component from
 * @vant/weapp/lib with its real WXML, each of our own components (`../../components/x/index`) loaded once
 * per test file with the Vant components it uses. Vant loads run in isolated modules: Vant components share
 * files (button contains loading and icon), and a component file that jest has already required would not
 * call Component() again for the new registration.
 */
function componentIds(file: string, using: UsingComponents): UsingComponents {
  const ids: UsingComponents = {};
  for (const [tag, request] of Object.entries(using)) {
    const vant = /^@vant\/weapp\/([\w-]+)\/index$/.exec(request)?.[1];
    if (vant) {
      jest.isolateModules(() => {
        ids[tag] = simulate.load(path.join(VANT_LIB, vant, 'index'), tag, { rootPath: VANT_LIB });
      });
    } else if (request.startsWith('.') || request.startsWith('/')) {
      const target = request.startsWith('/') ? path.join(MINIPROGRAM, request) : path.resolve(path.dirname(file), request);
      ids[tag] = loadFile(target, tag);
    } else {
      throw new Error(`${tag}: ${request} is neither a Vant component nor a path`);
    }
  }
  return ids;
}

function loadFile(file: string, tag?: string): string {
  let id = loaded.get(file);
  if (!id) {
    const usingComponents = componentIds(file, readUsingComponents(file));
    id = tag
      ? simulate.load(file, tag, { rootPath: rootOf(file), usingComponents })
      : simulate.load(file, { rootPath: rootOf(file), usingComponents });
    loaded.set(file, id);
  }
  return id;
}

/**
 * Renders a page (loaded once per test file) and attaches it, which starts its store bindings.
 * `page` is `home` (for pages/home/index) or a path under miniprogram/ without extension
 * (`pages/cohort/checkin`, `packageTeacher/pages/queue/index`).
 */
export function renderPage(page: string) {
  const file = path.join(MINIPROGRAM, page.includes('/') ? page : `pages/${page}/index`);
  const comp = simulate.render(loadFile(file));
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

export type RenderedPage = ReturnType<typeof renderPage>;
type Node = NonNullable<ReturnType<RenderedPage['querySelector']>>;

/** The page's methods (page lifecycles are methods of a Component-built page). */
export function pageMethods<T = Record<string, (...args: never[]) => unknown>>(page: RenderedPage): T {
  return page.instance as unknown as T;
}

/** What a person sees: the text with whitespace collapsed. */
export function visibleText(comp: { dom?: HTMLElement }): string {
  return (comp.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The element, or a clear failure naming the selector. */
export function find(page: RenderedPage | Node, selector: string): Node {
  const node = page.querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  return node;
}

export function textOf(page: RenderedPage | Node, selector: string): string {
  return visibleText(find(page, selector));
}

/** Taps a van-button (its inner `.van-button`) or a plain element with bindtap. */
export function tap(page: RenderedPage | Node, selector: string): void {
  const node = find(page, selector);
  (node.querySelector('.van-button') ?? node).dispatchEvent('tap');
}

/** Types into the textarea or input matching the selector, as WeChat reports it (`detail.value`). */
export function typeInto(page: RenderedPage | Node, selector: string, value: string): void {
  find(page, selector).dispatchEvent('input', { detail: { value } });
}

/**
 * Waits in `rounds` short sleeps rather than one long one: a chain of timers (a nextTick, then a
 * transition's frames) only finishes when each step's timer gets its turn, and on a loaded machine
 * one long sleep can end before the chain does; every round lets one more step of the chain run.
 */
async function sleepInRounds(rounds: number, ms: number): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await simulate.sleep(ms);
}

/** Store changes reach the page on the next tick (wx.nextTick); requests resolve on microtasks. */
export const settle = () => sleepInRounds(4, 5);

/** Vant transitions (a toast or dialog appearing) step in 1000/30 ms frames. */
export const settleAnimations = () => sleepInRounds(4, 35);

export function toastText(page: RenderedPage): string {
  return textOf(page, '#van-toast');
}

/** Taps a van-dialog's confirm (the last button) or cancel (the first, when shown) button. */
export function tapDialogButton(page: RenderedPage, dialogSelector: string, which: 'confirm' | 'cancel'): void {
  const buttons = find(page, dialogSelector).querySelectorAll('.van-dialog__button');
  const button = which === 'confirm' ? buttons[buttons.length - 1] : buttons[0];
  if (!button) throw new Error(`${dialogSelector} shows no ${which} button`);
  (button.querySelector('.van-button') ?? button).dispatchEvent('tap');
}
