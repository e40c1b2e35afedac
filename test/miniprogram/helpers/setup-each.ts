import { config } from '../../../miniprogram/config';
import { cohortsStore } from '../../../miniprogram/stores/cohorts';
import { groupProofStore } from '../../../miniprogram/stores/group-proof';
import { inviteStore } from '../../../miniprogram/stores/invite';
import { pointsStore } from '../../../miniprogram/stores/points';
import { installPrivacyFake } from './privacy';
import { storage } from './storage';

const defaultConfig = { ...config };

/** wx APIs pages call in passing, as jest.fn()s a test can inspect or replace. */
export function installWxStubs() {
  const stubs = {
    showShareMenu: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    navigateBack: jest.fn(),
    switchTab: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    previewImage: jest.fn(),
    showToast: jest.fn(),
    enableAlertBeforeUnload: jest.fn(),
    disableAlertBeforeUnload: jest.fn(),
    // Opened from the home screen unless a test says otherwise.
    getEnterOptionsSync: jest.fn(() => ({ scene: 1001, path: 'pages/home/index', query: {} })),
    getGroupEnterInfo: jest.fn((options: { fail?: (err: { errMsg: string }) => void }) =>
      options.fail?.({ errMsg: 'getGroupEnterInfo:fail not from a group' }),
    ),
    getShareInfo: jest.fn((options: { fail?: (err: { errMsg: string }) => void }) =>
      options.fail?.({ errMsg: 'getShareInfo:fail' }),
    ),
  };
  Object.assign(wx, stubs);
  return stubs;
}

beforeEach(() => {
  storage.clear();
  Object.assign(config, defaultConfig);
  installWxStubs();
  installPrivacyFake();
  cohortsStore.items = [];
  cohortsStore.status = 'idle';
  groupProofStore.drop();
  inviteStore.forget();
  pointsStore.balance = null;
});

// A toast in WeChat stays 2–3 s; on a loaded CI machine a test can take longer than that between
// the tap and its assertion, so in tests a toast stays until the next one replaces it.
jest.mock('@vant/weapp/toast/toast', () => {
  const actual = jest.requireActual('@vant/weapp/toast/toast');
  const Toast = actual.default;
  const persistent = Object.assign((options: Record<string, unknown>) => Toast({ ...options, duration: 0 }), Toast);
  return { __esModule: true, default: persistent };
});

// Rendering through WeChat's compiler is CPU-bound: on a loaded 2-core CI machine a page test can pass 5 s.
jest.setTimeout(20_000);
