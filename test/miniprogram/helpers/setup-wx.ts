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
