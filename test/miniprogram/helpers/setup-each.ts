import { config } from '../../../miniprogram/config';
import { cohortsStore } from '../../../miniprogram/stores/cohorts';
import { groupProofStore } from '../../../miniprogram/stores/group-proof';
import { inviteStore } from '../../../miniprogram/stores/invite';
import { pointsStore } from '../../../miniprogram/stores/points';
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
  cohortsStore.items = [];
  cohortsStore.status = 'idle';
  groupProofStore.drop();
  inviteStore.forget();
  pointsStore.balance = null;
});
