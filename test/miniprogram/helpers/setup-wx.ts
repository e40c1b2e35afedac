// Installs miniprogram-simulate's globals (wx, Component, Behavior) before any Mini Program module loads.
import 'miniprogram-simulate';
import { storage } from './storage';

// simulate's storage is a no-op; the app keeps its token and device openid there.
Object.assign(wx, {
  getStorageSync: (key: string) => storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
});

// No page stack in tests (pages are rendered as components); Vant's cell links ask for it before navigating.
Object.assign(globalThis, { getCurrentPages: () => [] });

// simulate compiles each top folder (pages/, components/, …) with WeChat's WXML compiler on its own, and
// each compiled folder caches its expression tables in one global object under its files' numbers
// ($gwx_1, $gwx_2, …). Two folders then share a table for the same number and a page can render another
// folder's template (it happened as soon as components/ held four files). Each folder's numbers get a
// name of their own here; WeChat itself compiles the whole app at once and never meets this.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulateUtils = require('miniprogram-simulate/src/utils') as { getCompiler(): { wxmlToJs(root: string, options?: unknown): string } | null };
const wxmlCompiler = simulateUtils.getCompiler();
if (wxmlCompiler) {
  const compileFolder = wxmlCompiler.wxmlToJs.bind(wxmlCompiler);
  let folders = 0;
  wxmlCompiler.wxmlToJs = (root, options) => {
    const folder = ++folders;
    return compileFolder(root, options).replace(/\$gwx_(\d+)/g, (_match, n: string) => `$gwx_f${folder}_${n}`);
  };
}
