import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api, mediaUrl } from '../../services/api';
import type { Notice, UploadedImage } from '../../services/types';
import { uploadFile } from '../../services/upload';
import { memberStore, type MemberStore } from '../../stores/member';
import { pointsStore, type PointsStore } from '../../stores/points';
import { shortDate } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { roleTags } from '../../utils/roles';
import { toastError, toastText } from '../../utils/toast';

export const MAX_NICKNAME = 32;

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
        avatar: (store: MemberStore) => mediaUrl(store.member?.avatarUrl),
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
    editingNickname: false,
    nickname: '',
    maxNickname: MAX_NICKNAME,
    savingNickname: false,
    savingAvatar: false,
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
    /** An invitation is marked read (POST /me/notifications/:id/read) before its page opens. */
    async onOpenInvitation(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id);
      const index = this.data.invitations.findIndex((n) => n.id === id);
      if (index === -1) return;
      const invitation = this.data.invitations[index];
      if (invitation.unread) {
        try {
          await api.markNoticeRead(id);
          this.setData({ [`invitations[${index}].unread`]: false });
        } catch {
          // Still open it: an unread mark is no reason to keep the invitation shut.
        }
      }
      void wx.navigateTo({ url: invitation.url });
    },

    // ----- nickname (WeChat's nickname input) -----
    onEditNickname() {
      this.setData({ editingNickname: true, nickname: memberStore.member?.nickname ?? '' });
    },
    onCancelNickname() {
      this.setData({ editingNickname: false });
    },
    /** `<input type="nickname">` reports a typed name on input and WeChat's suggested one on change/blur. */
    onNicknameInput(event: { detail: { value: string } }) {
      this.setData({ nickname: String(event.detail.value ?? '') });
    },
    async onSaveNickname() {
      if (this.data.savingNickname) return;
      const nickname = (this.data.nickname as string).trim();
      if (!nickname) {
        toastError(this, '请填写昵称');
        return;
      }
      if (nickname.length > MAX_NICKNAME) {
        toastError(this, `昵称最多${MAX_NICKNAME}个字`);
        return;
      }
      if (nickname === memberStore.member?.nickname) {
        this.setData({ editingNickname: false });
        return;
      }
      this.setData({ savingNickname: true });
      try {
        memberStore.setMember(await api.updateMe({ nickname }));
        this.setData({ editingNickname: false });
        toastText(this, '昵称已保存');
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ savingNickname: false });
      }
    },

    // ----- avatar (open-type="chooseAvatar") -----
    async onChooseAvatar(event: { detail: { avatarUrl?: string } }) {
      const tempPath = event.detail.avatarUrl;
      if (!tempPath || this.data.savingAvatar) return;
      this.setData({ savingAvatar: true });
      try {
        const image = await uploadFile<UploadedImage>('/uploads/images', tempPath);
        memberStore.setMember(await api.updateMe({ avatarUrl: image.url }));
        toastText(this, '头像已更新');
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ savingAvatar: false });
      }
    },
  },
});
