import { api, mediaUrl } from '../../../services/api';
import type { Invitation, Invitations } from '../../../services/api-types';
import { dateTime } from '../../../utils/dates';
import { messageOf } from '../../../utils/errors';
import { showPage } from '../../../utils/paging';
import { toastError } from '../../../utils/toast';

export const INVITATIONS_PAGE_SIZE = 20;

const SOURCES: Record<Invitation['source'], string> = {
  poster: '扫海报',
  card: '好友卡片',
  timeline: '朋友圈',
  group: '群聊卡片',
};

/** Where an invitee stands, and what it earned me. */
export function invitationState(invitation: Invitation): { label: string; type: 'primary' | 'success' | 'default'; points: string; earned: boolean } {
  if (invitation.checkedIn) {
    const reward = invitation.rewardPoints ?? 0;
    return { label: '已打卡', type: 'success', points: reward > 0 ? `+${reward}` : '奖励已满', earned: reward > 0 };
  }
  if (invitation.joined) return { label: '已加入', type: 'primary', points: '待首次打卡', earned: false };
  return { label: '已邀请', type: 'default', points: '待加入', earned: false };
}

function invitationView(invitation: Invitation) {
  const name = invitation.invitee.nickname;
  return {
    id: invitation.id,
    nickname: name,
    initial: Array.from(name)[0] ?? '',
    avatar: mediaUrl(invitation.invitee.avatarUrl),
    cohort: invitation.cohort.title,
    line: `${SOURCES[invitation.source] ?? invitation.source} · ${dateTime(invitation.invitedAt)}`,
    ...invitationState(invitation),
  };
}

function summaryView(summary: Invitations['summary']) {
  return [
    { key: 'invited', label: '邀请', value: summary.invited },
    { key: 'joined', label: '加入', value: summary.joined },
    { key: 'checked-in', label: '打卡', value: summary.checkedIn },
    { key: 'earned', label: '获得积分', value: summary.earnedPoints },
  ];
}

/** 我的邀请: whom I invited, who joined and checked in, what I earned; newest first, paged. */
Component({
  data: {
    summary: [] as ReturnType<typeof summaryView>,
    invitations: [] as ReturnType<typeof invitationView>[],
    nextCursor: null as string | null,
    loading: false,
    loaded: false,
    errorMessage: '',
  },
  methods: {
    onLoad() {
      void this.loadPage(true);
    },
    async onPullDownRefresh() {
      await this.loadPage(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      if (this.data.nextCursor && !this.data.loading) void this.loadPage(false);
    },
    onReload() {
      void this.loadPage(!this.data.loaded);
    },
    async loadPage(first: boolean) {
      if (this.data.loading) return;
      this.setData({ loading: true, errorMessage: '' });
      try {
        const page = await api.invitations({ limit: INVITATIONS_PAGE_SIZE, before: first ? null : this.data.nextCursor });
        if (first) this.setData({ summary: summaryView(page.summary) });
        showPage(this, 'invitations', page.items.map(invitationView), first, page.nextCursor);
      } catch (error) {
        if (this.data.loaded) toastError(this, messageOf(error));
        this.setData({ errorMessage: messageOf(error) });
      } finally {
        this.setData({ loading: false });
      }
    },
    onHome() {
      void wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
