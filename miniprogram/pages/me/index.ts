import { reaction, type IReactionDisposer } from 'mobx-miniprogram';
import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api, mediaUrl } from '../../services/api';
import type { Notice, SubscriptionTemplate, UploadedImage } from '../../services/api-types';
import { uploadFile } from '../../services/upload';
import { memberStore, type MemberStore } from '../../stores/member';
import { pointsStore, type PointsStore } from '../../stores/points';
import { consoleTicketOf } from '../../utils/console-login';
import { shortDate } from '../../utils/dates';
import { messageOf } from '../../utils/errors';
import { roleTags } from '../../utils/roles';
import { requestSubscribe, subscriptionTemplates, TEMPLATE_TITLES } from '../../utils/subscribe';
import { ensurePrivacyConsent } from '../../utils/privacy';
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

/** Likes and comments on my check-ins (likes gathered into one notice per check-in). */
function interactionView(notice: Notice) {
  const { count = '', latest = '', from = '', text = '', date = '' } = notice.data;
  const liked = notice.kind === 'likes';
  return {
    id: notice.id,
    title: liked ? (Number(count) > 1 ? `${latest}等 ${count} 人赞了你的打卡` : `${latest} 赞了你的打卡`) : `${from} 评论了你的打卡`,
    label: [date ? `${shortDate(date)}的打卡` : '', liked ? '' : text].filter(Boolean).join(' · '),
    unread: notice.unread,
    url: `/${notice.page.replace(/^\//, '')}`,
  };
}

/** One kind of subscription message on Me: what it is for and how many sends are banked. */
function reminderView(template: SubscriptionTemplate) {
  return {
    key: template.key,
    templateId: template.templateId,
    title: TEMPLATE_TITLES[template.key] ?? template.key,
    sendsLeft: template.sendsLeft,
    state: template.sendsLeft > 0 ? `已开启 · 还可提醒 ${template.sendsLeft} 次` : '未开启',
  };
}

const disposers = new WeakMap<object, IReactionDisposer>();

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
        // A failed launch login shows here too, with a retry (not "正在登录…" forever).
        loginFailed: (store: MemberStore) => store.status === 'error' && !store.member,
        loginError: (store: MemberStore) => store.errorMessage,
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
    interactions: [] as ReturnType<typeof interactionView>[],
    reminders: [] as ReturnType<typeof reminderView>[],
    editingNickname: false,
    nickname: '',
    nicknameHint: '',
    maxNickname: MAX_NICKNAME,
    savingNickname: false,
    savingAvatar: false,
  },
  lifetimes: {
    ready() {
      // Opened before the launch login finished (or after a retry): load once it is done.
      disposers.set(
        this,
        reaction(
          () => memberStore.status === 'loggedIn',
          (loggedIn) => {
            if (loggedIn) void this.refresh();
          },
        ),
      );
    },
    detached() {
      disposers.get(this)?.();
    },
  },
  methods: {
    /** Teachers and operators: scan the web console's login QR code, then confirm on the next page. */
    async onScanConsole() {
      let scanned: string;
      try {
        scanned = (await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result;
      } catch {
        return; // the scanner was closed
      }
      const ticket = consoleTicketOf(scanned);
      if (!ticket) {
        toastError(this, '这不是控制台的登录二维码：请在电脑上打开控制台，扫描登录页的二维码');
        return;
      }
      void wx.navigateTo({ url: `/packageConsole/pages/login/index?ticket=${ticket}` });
    },
    // Page lifecycle: roles can change on the server (an operator grants "teacher"), and points change
    // with every check-in: reload both on show.
    onShow() {
      if (memberStore.status === 'loggedIn') void this.refresh();
    },
    async onPullDownRefresh() {
      if (memberStore.status === 'loggedIn') await this.refresh();
      wx.stopPullDownRefresh();
    },
    async refresh() {
      const [ok] = await Promise.all([
        memberStore.refresh(),
        pointsStore.refresh().catch((error: unknown) => {
          toastError(this, messageOf(error));
        }),
        this.loadInbox(),
        this.loadReminders(),
      ]);
      if (!ok) toastError(this, memberStore.errorMessage);
    },
    onRetryLogin() {
      void memberStore.login();
    },
    /** The kinds of messages I can allow, with the sends banked. A failure leaves the list as it was. */
    async loadReminders() {
      try {
        this.setData({ reminders: (await subscriptionTemplates()).map(reminderView) });
      } catch {
        // Not worth a toast: reminders are managed again on the next show.
      }
    },
    /** From the tap: WeChat shows its consent dialog only for a user's tap. */
    onAllowReminder(event: WechatMiniprogram.TouchEvent) {
      const reminder = this.data.reminders.find((r) => r.key === event.currentTarget.dataset.key);
      if (!reminder) return;
      requestSubscribe([reminder.templateId]).then(
        async (accepted) => {
          toastText(this, accepted ? `已开启${reminder.title}` : '已记录你的选择');
          await this.loadReminders();
        },
        () => toastError(this, '没能打开订阅提醒，请稍后再试'),
      );
    },
    async onStopReminder(event: WechatMiniprogram.TouchEvent) {
      const key = String(event.currentTarget.dataset.key);
      const reminder = this.data.reminders.find((r) => r.key === key);
      try {
        const { templates } = await api.stopSubscription(key);
        this.setData({ reminders: templates.map(reminderView) });
        toastText(this, `已关闭${reminder?.title ?? '提醒'}`);
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
    /** The inbox: invitations to the next cohort, newest first. A failure leaves it as it was. */
    async loadInbox() {
      try {
        const { items } = await api.notifications();
        this.setData({
          invitations: items.filter((n) => n.kind === 'invitation').map(invitationView),
          interactions: items.filter((n) => n.kind === 'likes' || n.kind === 'comment').map(interactionView),
        });
      } catch {
        // Not worth a toast: the rest of Me works without the inbox.
      }
    },
    /** An invitation is marked read (POST /me/notifications/:id/read) before its page opens. */
    onOpenInvitation(event: WechatMiniprogram.TouchEvent) {
      void this.openNotice('invitations', Number(event.currentTarget.dataset.id));
    },
    /** A like or comment notice opens the check-in, marked read the same way. */
    onOpenInteraction(event: WechatMiniprogram.TouchEvent) {
      void this.openNotice('interactions', Number(event.currentTarget.dataset.id));
    },
    async openNotice(list: 'invitations' | 'interactions', id: number) {
      const notices = this.data[list] as Array<{ id: number; unread: boolean; url: string }>;
      const index = notices.findIndex((n) => n.id === id);
      if (index === -1) return;
      const notice = notices[index];
      if (notice.unread) {
        try {
          await api.markNoticeRead(id);
          this.setData({ [`${list}[${index}].unread`]: false });
        } catch {
          // Still open it: an unread mark is no reason to keep the page shut.
        }
      }
      void wx.navigateTo({ url: notice.url });
    },

    // ----- nickname (WeChat's nickname input) -----
    /** Without consent to the privacy guide, WeChat's nickname input is a plain text field: ask first. */
    async onEditNickname() {
      const agreed = await ensurePrivacyConsent('使用微信昵称');
      this.setData({
        editingNickname: true,
        nickname: memberStore.member?.nickname ?? '',
        nicknameHint: agreed ? '' : '没有同意隐私保护指引，不能一键填入微信昵称；可以自己输入。',
      });
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
