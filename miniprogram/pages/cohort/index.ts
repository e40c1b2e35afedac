import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api, mediaUrl } from '../../services/api';
import type { Cohort, GroupQr, Member } from '../../services/api-types';
import { noticeView, type NoticeView } from '../../utils/announcements';
import { cohortsStore } from '../../stores/cohorts';
import { captureGroupProof, groupProofStore, type GroupProofStore } from '../../stores/group-proof';
import { inviteStore, parseLaunchInvite, SINGLE_PAGE_SCENE, type InviteStore } from '../../stores/invite';
import { memberStore, type MemberStore } from '../../stores/member';
import { pointsStore } from '../../stores/points';
import { dayLine, todayState } from '../../utils/cohort-view';
import { codeOf, messageOf } from '../../utils/errors';
import { statusTag } from '../../utils/labels';
import { JOIN_TEMPLATE_KEYS, requestSubscribe, templateIds } from '../../utils/subscribe';
import { toastError, toastText } from '../../utils/toast';

/** What the detail page shows of a cohort. */
function view(cohort: Cohort) {
  return {
    id: cohort.id,
    title: cohort.title,
    theme: cohort.theme,
    coverUrl: mediaUrl(cohort.coverImageUrl),
    status: statusTag(cohort.status),
    running: cohort.status === 'running',
    joinable: cohort.status === 'recruiting' || cohort.status === 'running',
    day: dayLine(cohort),
    memberCount: cohort.memberCount,
    rules: cohort.rules ?? '',
    welcome: cohort.welcomeMessage ?? '',
    announcement: cohort.announcement ?? '',
    todayPrompt: cohort.todayPrompt ?? '',
    enrolled: cohort.enrolled,
    groupBound: cohort.groupBound,
    teacherIds: cohort.teacherIds,
    today: todayState(cohort),
    myLine: myLine(cohort),
    streak: cohort.me?.streak.current ?? 0,
    groupQr: cohort.enrolled && cohort.groupQr ? groupQrView(cohort.groupQr) : null,
    qrWarning: qrWarning(cohort),
    canInvite: cohort.status === 'recruiting' || cohort.status === 'running',
    completed: !!cohort.me && cohort.me.streak.total >= cohort.durationDays,
    groupBonus: cohort.points.groupBonusPoints,
  };
}

/** The way into the group for members: the QR to long-press, or why it is not there. */
function groupQrView(qr: GroupQr) {
  return { url: mediaUrl(qr.url), expired: qr.state === 'expired' };
}

/** For operators: the group QR is missing or about to stop working (WeChat expires it after 7 days). */
function qrWarning(cohort: Cohort): string {
  if (cohort.status !== 'recruiting' && cohort.status !== 'running') return '';
  if (!cohort.groupQr) return '还没有上传本期打卡群的二维码：学员加入后看不到入群方式。';
  if (cohort.groupQr.state === 'expired') return '群二维码已过期（微信群二维码 7 天有效），学员扫不进群了，请尽快更换。';
  if (cohort.groupQr.state === 'expiring') return '群二维码明天就会过期（微信群二维码 7 天有效），请更换。';
  return '';
}

/** `连续打卡 3 天 · 累计 6 天 · 还可补卡 2 次`. */
function myLine(cohort: Cohort): string {
  const me = cohort.me;
  if (!me) return '';
  const parts = [`连续打卡 ${me.streak.current} 天`, `累计 ${me.streak.total} 天`];
  if (cohort.status === 'running' && me.missedDays > 0) parts.push(`还可补卡 ${me.makeUpsLeft} 次`);
  return parts.join(' · ');
}

/** What leaving costs, said before it happens. */
function leaveMessage(cohort: ReturnType<typeof view>): string {
  const streak = cohort.streak > 0 ? `你已连续打卡 ${cohort.streak} 天，退出后连续天数会中断。` : '';
  return `${streak}退出后不再收到本期的打卡提醒，也不能再打卡和补卡；已获得的积分和打卡记录会保留。本期结束前还可以重新加入。`;
}

/** Operators, and the cohort's own teachers, may bind its group. */
function canManageGroup(member: Member | null, teacherIds: number[]): boolean {
  if (!member) return false;
  return member.roles.includes('operator') || (member.roles.includes('teacher') && teacherIds.includes(member.id));
}

const LEAVE_ACTIONS = [{ name: '退出本期打卡', color: '#d0021b', className: 'leave-action' }];

ComponentWithStore({
  storeBindings: [
    {
      store: groupProofStore,
      fields: { groupHeld: (store: GroupProofStore) => store.held },
      actions: [],
    },
    {
      store: memberStore,
      fields: { member: (store: MemberStore) => store.member },
      actions: [],
    },
    {
      store: inviteStore,
      fields: { arrival: (store: InviteStore) => store.arrival },
      actions: [],
    },
  ],
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    /** The cohort does not exist (any more): offer Home instead of a reload that cannot help. */
    notFound: false,
    isOperator: false,
    cohort: null as ReturnType<typeof view> | null,
    /** Today's announcements from the cohort's staff (早安 / 干货 / 互动 / 总结), newest first. */
    todaysNotices: [] as NoticeView[],
    manager: false,
    busy: false,
    showActions: false,
    leaveActions: LEAVE_ACTIONS,
    showLeaveDialog: false,
    leaveMessage: '',
    /** Subscription templates asked for on joining (loaded ahead: the consent dialog opens from the tap). */
    joinTmplIds: [] as string[],
    /** Paid offers of this cohort open to me now (after its last day). */
    openOffers: 0,
    /** "x 邀请你一起打卡" when I arrived through someone's invite and have not joined yet. */
    invitedBy: '',
    /** Moments' single-page view: no login there; a preview until "前往小程序". */
    preview: false,
    previewTitle: '',
  },
  observers: {
    'member, cohort'(member: Member | null, cohort: ReturnType<typeof view> | null) {
      const manager = !!cohort && canManageGroup(member, cohort.teacherIds);
      const isOperator = !!member?.roles.includes('operator');
      if (manager !== this.data.manager || isOperator !== this.data.isOperator) this.setData({ manager, isOperator });
    },
    'arrival, cohort'(arrival: InviteStore['arrival'], cohort: ReturnType<typeof view> | null) {
      const invitedBy = arrival && cohort && arrival.cohortId === cohort.id && !cohort.enrolled ? `${arrival.inviter.nickname} 邀请你一起打卡` : '';
      if (invitedBy !== this.data.invitedBy) this.setData({ invitedBy });
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const enter = typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : null;
      if (Number(enter?.scene) === SINGLE_PAGE_SCENE) {
        // Moments' single-page view cannot log in: show what the post was about; WeChat adds "前往小程序".
        this.setData({ preview: true, previewTitle: query.t ?? '', state: 'ready' });
        if (query.t) wx.setNavigationBarTitle({ title: query.t });
        return;
      }
      wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage', 'shareTimeline'] });
      if (query.gs) void this.claimGroupShare(Number(query.gs));
      const id = Number(query.id);
      if (id) {
        this.setData({ id });
        void inviteStore.ensureCode(id);
        void this.load();
        return;
      }
      // A scanned poster: the code's scene names only the invite; the server knows its cohort.
      void this.openScannedInvite(parseLaunchInvite({ scene: enter?.scene, query }));
    },
    async openScannedInvite(invite: ReturnType<typeof parseLaunchInvite>) {
      const opened = invite ? await inviteStore.open(invite) : null;
      if (!opened) {
        this.setData({ state: 'error', notFound: true, errorMessage: '这个小程序码已失效，去首页看看正在进行的打卡吧' });
        return;
      }
      this.setData({ id: opened.cohortId });
      void inviteStore.ensureCode(opened.cohortId);
      await this.load();
    },
    /**
     * Opened from my check-in's card inside the cohort's group (`gs`): the share ticket's group proof earns
     * that check-in the group bonus. Someone else opening my card gets nothing and is told nothing.
     */
    async claimGroupShare(checkinId: number) {
      if (!checkinId || !(await captureGroupProof()) || !groupProofStore.current) return;
      try {
        const { award, balance } = await api.claimGroupShare(checkinId, groupProofStore.current);
        pointsStore.setBalance(balance);
        toastText(this, `分享到打卡群成功，群内积分 +${award.points}`);
      } catch (error) {
        const code = codeOf(error);
        if (code !== 'NOT_FOUND' && code !== 'NOT_ENROLLED') toastError(this, messageOf(error));
      }
    },
    onShow() {
      // Back from the composer: the store knows today's check-in is done.
      const known = cohortsStore.byId(this.data.id);
      if (known && this.data.state === 'ready') this.setData({ cohort: view(known) });
      groupProofStore.tick();
      // Opened from the group's card: hold that group's proof for the check-in (and for binding).
      void captureGroupProof();
    },
    async load() {
      try {
        const cohort = await cohortsStore.fetch(this.data.id);
        this.setData({ cohort: view(cohort), state: 'ready' });
        wx.setNavigationBarTitle({ title: cohort.title });
        if (cohort.enrolled && cohort.status === 'converting') void this.loadOffers();
        if (cohort.enrolled && (cohort.status === 'recruiting' || cohort.status === 'running')) void this.loadNotices();
        if (!cohort.enrolled && (cohort.status === 'recruiting' || cohort.status === 'running')) void this.loadJoinTemplates();
      } catch (error) {
        this.setData({ state: 'error', errorMessage: messageOf(error), notFound: codeOf(error) === 'NOT_FOUND' });
      }
    },
    /** What the staff announced today; a failure just shows none (the page works without them). */
    async loadNotices() {
      try {
        const { items } = await api.todaysAnnouncements(this.data.id);
        this.setData({ todaysNotices: items.map(noticeView) });
      } catch {
        // Nothing shown.
      }
    },
    /** Offers exist only after the last day; a failure just shows no banner. */
    async loadOffers() {
      try {
        const { items } = await api.myOffers();
        this.setData({ openOffers: items.filter((o) => o.cohortId === this.data.id && !o.purchased).length });
      } catch {
        // No banner then; the offers stay reachable from Me.
      }
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async loadJoinTemplates() {
      try {
        this.setData({ joinTmplIds: await templateIds(JOIN_TEMPLATE_KEYS) });
      } catch {
        // Joining works without the reminders; they can be turned on from Me.
      }
    },
    onOffers() {
      void wx.navigateTo({ url: `/pages/offers/index?cohortId=${this.data.id}` });
    },
    onReload() {
      this.setData({ state: 'loading' });
      void this.load();
    },
    /**
     * Joining first asks WeChat for the reminders (daily reminder, teacher's review, the offers after the
     * cohort): the consent dialog must open straight from this tap. Whatever the answer, the member joins.
     */
    onJoin() {
      if (this.data.busy) return;
      const tmplIds = this.data.joinTmplIds as string[];
      if (!tmplIds.length) {
        void this.join();
        return;
      }
      requestSubscribe(tmplIds)
        .catch(() => 0)
        .then(() => this.join());
    },
    async join() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        await cohortsStore.enroll(this.data.id);
        const cohort = cohortsStore.byId(this.data.id);
        if (cohort) this.setData({ cohort: view(cohort) });
        toastText(this, '已加入，每天记得来打卡');
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ busy: false });
      }
    },
    onMore() {
      this.setData({ showActions: true });
    },
    onCloseActions() {
      this.setData({ showActions: false });
    },
    onSelectAction() {
      const cohort = this.data.cohort;
      if (!cohort) return;
      this.setData({ showActions: false, showLeaveDialog: true, leaveMessage: leaveMessage(cohort) });
    },
    onCancelLeave() {
      this.setData({ showLeaveDialog: false });
    },
    async onConfirmLeave() {
      this.setData({ showLeaveDialog: false });
      try {
        await cohortsStore.leave(this.data.id);
        const cohort = cohortsStore.byId(this.data.id);
        if (cohort) this.setData({ cohort: view(cohort) });
        toastText(this, '已退出本期打卡');
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
    onHome() {
      void wx.switchTab({ url: '/pages/home/index' });
    },
    onManage() {
      void wx.navigateTo({ url: `/packageOperator/pages/cohort/index?id=${this.data.id}` });
    },
    onReviewQueue() {
      void wx.navigateTo({ url: '/packageTeacher/pages/queue/index' });
    },
    onCheckin() {
      void wx.navigateTo({ url: `/pages/cohort/checkin?id=${this.data.id}` });
    },
    onInvite() {
      void wx.navigateTo({ url: `/packageShare/pages/poster/index?id=${this.data.id}&kind=poster` });
    },
    onCertificate() {
      void wx.navigateTo({ url: `/packageShare/pages/poster/index?id=${this.data.id}&kind=certificate` });
    },
    onPreviewQr() {
      const url = this.data.cohort?.groupQr?.url;
      // The preview's long-press menu can scan it too.
      if (url) wx.previewImage({ urls: [url], current: url, showmenu: true });
    },
    onProgress() {
      void wx.navigateTo({ url: `/pages/cohort/progress?id=${this.data.id}` });
    },
    onLeaderboard() {
      void wx.navigateTo({ url: `/pages/cohort/leaderboard?id=${this.data.id}` });
    },
    onFeed() {
      void wx.navigateTo({ url: `/pages/cohort/feed?id=${this.data.id}` });
    },
    async onBindGroup() {
      const proof = groupProofStore.current;
      if (!proof) {
        toastError(this, '请从本期微信群里的打卡卡片进入本页，再绑定本群');
        return;
      }
      this.setData({ busy: true });
      try {
        const cohort = await api.bindGroup(this.data.id, proof);
        cohortsStore.put(cohort);
        this.setData({ cohort: view(cohort) });
        toastText(this, '已绑定本群，群内打卡可得双倍积分');
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Cards carry my invite: a newcomer who joins through it and checks in earns me the invite reward. */
    onShareAppMessage() {
      const cohort = this.data.cohort;
      return {
        title: cohort ? `一起来打卡：${cohort.title}` : '一起来打卡',
        path: inviteStore.sharePath(this.data.id),
        imageUrl: cohort?.coverUrl || undefined,
      };
    },
    /** Moments show the post in a single-page view without login: the title travels in the query. */
    onShareTimeline() {
      const title = this.data.cohort?.title ?? '一起来打卡';
      return { title, query: inviteStore.shareQuery(this.data.id, { t: title.slice(0, 30) }), imageUrl: this.data.cohort?.coverUrl || undefined };
    },
  },
});
