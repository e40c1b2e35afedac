import { reaction, type IReactionDisposer } from 'mobx-miniprogram';
import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { cohortsStore, type CohortsStore } from '../../stores/cohorts';
import { memberStore, type MemberStore } from '../../stores/member';
import { toCard } from '../../utils/cohort-view';

const disposers = new WeakMap<object, IReactionDisposer[]>();

// The Home tab: my cohorts first, then the ones I can join. A page written as a component (WeChat allows
// it), so tests can load it with miniprogram-simulate.
ComponentWithStore({
  storeBindings: [
    {
      store: memberStore,
      fields: {
        status: (store: MemberStore) => store.status,
        member: (store: MemberStore) => store.member,
        errorMessage: (store: MemberStore) => store.errorMessage,
      },
      actions: [],
    },
    {
      store: cohortsStore,
      fields: {
        listStatus: (store: CohortsStore) => store.status,
        listError: (store: CohortsStore) => store.errorMessage,
        mine: (store: CohortsStore) => store.mine.map(toCard),
        open: (store: CohortsStore) => store.open.map(toCard),
      },
      actions: [],
    },
  ],
  lifetimes: {
    ready() {
      // The list needs a session: load it as soon as the login is done.
      const loadWhenLoggedIn = reaction(
        () => memberStore.status === 'loggedIn',
        (loggedIn) => {
          if (loggedIn && cohortsStore.status !== 'loading') void cohortsStore.load();
        },
        { fireImmediately: true },
      );
      disposers.set(this, [loadWhenLoggedIn]);
    },
    detached() {
      disposers.get(this)?.forEach((dispose) => dispose());
    },
  },
  methods: {
    // Page lifecycle: coming back to the tab refreshes the list (joined elsewhere, a new day).
    onShow() {
      if (memberStore.status === 'loggedIn' && cohortsStore.status === 'ready') void cohortsStore.load();
    },
    async onPullDownRefresh() {
      if (memberStore.status === 'loggedIn') await cohortsStore.load();
      wx.stopPullDownRefresh();
    },
    onRetry() {
      void memberStore.login();
    },
    onReload() {
      void cohortsStore.load();
    },
    onCheckin(event: WechatMiniprogram.TouchEvent) {
      const { id } = event.currentTarget.dataset as { id: number };
      void wx.navigateTo({ url: `/pages/cohort/checkin?id=${id}` });
    },
    onOpen(event: WechatMiniprogram.TouchEvent) {
      const { id } = event.currentTarget.dataset as { id: number };
      void wx.navigateTo({ url: `/pages/cohort/index?id=${id}` });
    },
  },
});
