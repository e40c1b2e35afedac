import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { memberStore, type MemberStore } from '../../stores/member';
import { roleTags } from '../../utils/roles';
import { toastError } from '../../utils/toast';

ComponentWithStore({
  storeBindings: {
    store: memberStore,
    fields: {
      member: (store: MemberStore) => store.member,
      initial: (store: MemberStore) => store.member?.nickname.slice(0, 1) ?? '',
      roles: (store: MemberStore) => roleTags(store.member?.roles ?? []),
    },
    actions: [],
  },
  methods: {
    // Page lifecycle: roles can change on the server (an operator grants "teacher"), so reload on show.
    async onShow() {
      if (memberStore.status !== 'loggedIn') return;
      const ok = await memberStore.refresh();
      if (!ok) toastError(this, memberStore.errorMessage);
    },
  },
});
