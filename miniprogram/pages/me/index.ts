import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { memberStore, type MemberStore } from '../../stores/member';
import { pointsStore, type PointsStore } from '../../stores/points';
import { messageOf } from '../../utils/errors';
import { roleTags } from '../../utils/roles';
import { toastError } from '../../utils/toast';

ComponentWithStore({
  storeBindings: [
    {
      store: memberStore,
      fields: {
        member: (store: MemberStore) => store.member,
        initial: (store: MemberStore) => store.member?.nickname.slice(0, 1) ?? '',
        roles: (store: MemberStore) => roleTags(store.member?.roles ?? []),
        isTeacher: (store: MemberStore) => store.member?.roles.includes('teacher') ?? false,
      },
      actions: [],
    },
    {
      store: pointsStore,
      fields: { balance: (store: PointsStore) => (store.balance === null ? '' : String(store.balance)) },
      actions: [],
    },
  ],
  methods: {
    // Page lifecycle: roles can change on the server (an operator grants "teacher"), and points change
    // with every check-in: reload both on show.
    async onShow() {
      if (memberStore.status !== 'loggedIn') return;
      const [ok] = await Promise.all([
        memberStore.refresh(),
        pointsStore.refresh().catch((error: unknown) => {
          toastError(this, messageOf(error));
        }),
      ]);
      if (!ok) toastError(this, memberStore.errorMessage);
    },
  },
});
