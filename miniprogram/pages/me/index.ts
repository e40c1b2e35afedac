import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api } from '../../services/api';
import type { Notice } from '../../services/types';
import { memberStore, type MemberStore } from '../../stores/member';
import { pointsStore, type PointsStore } from '../../stores/points';
import { shortDate } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { roleTags } from '../../utils/roles';
import { toastError } from '../../utils/toast';

/** An invitation to the next cohort (sent when an operator disbands a cohort), as a cell of the inbox. */
function invitationView(notice: Notice) {
  const { thing1: title = '', date2: startDate = '', thing3: note = '' } = notice.data;
  return {
    id: notice.id,
    title: title ? `邀请你加入下一期：${title}` : '邀请你加入下一期',
    label: [startDate ? `${shortDate(startDate)}开始` : '', note].filter(Boolean).join(' · '),
    unread: notice.unread,
    url: `/${notice.page.replace(/^\//, '')}`,
  };
}

ComponentWithStore({
  storeBindings: [
    {
      store: memberStore,
      fields: {
        member: (store: MemberStore) => store.member,
        initial: (store: MemberStore) => store.member?.nickname.slice(0, 1) ?? '',
        roles: (store: MemberStore) => roleTags(store.member?.roles ?? []),
        isTeacher: (store: MemberStore) => store.member?.roles.includes('teacher') ?? false,
        isOperator: (store: MemberStore) => store.member?.roles.includes('operator') ?? false,
      },
      actions: [],
    },
    {
      store: pointsStore,
      fields: { balance: (store: PointsStore) => (store.balance === null ? '' : String(store.balance)) },
      actions: [],
    },
  ],
  data: {
    invitations: [] as ReturnType<typeof invitationView>[],
  },
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
        this.loadInbox(),
      ]);
      if (!ok) toastError(this, memberStore.errorMessage);
    },
    /** The inbox: invitations to the next cohort, newest first. A failure leaves it as it was. */
    async loadInbox() {
      try {
        const { items } = await api.notifications();
        this.setData({ invitations: items.filter((n) => n.kind === 'invitation').map(invitationView) });
      } catch {
        // Not worth a toast: the rest of Me works without the inbox.
      }
    },
  },
});
