import { mediaUrl } from '../../../services/api';
import type { Cohort, ConversionRound, ConversionSummary, DisbandResult, GroupQr, UploadedImage } from '../../../services/api-types';
import { uploadFile } from '../../../services/upload';
import { cohortsStore } from '../../../stores/cohorts';
import { dayLine } from '../../../utils/cohort-view';
import { dateTime } from '../../../utils/dates';
import { messageOf } from '../../../utils/errors';
import { statusTag } from '../../../utils/labels';
import { priceLabel } from '../../../utils/money';
import { toastError, toastText } from '../../../utils/toast';
import { operatorApi } from '../../services/operator-api';
import { conversionStore } from '../../stores/conversion';

const ROUND_NAMES = ['', '第一轮', '第二轮', '第三轮'];

/** Why the cohort may be disbanded, from the server's code and round (its English reason is for developers). */
export function readinessText(summary: ConversionSummary): string {
  if (!summary.disbandReady) return '转化进行中：第三轮结束，或某一轮结束时没有新增付费学员，即可解散';
  const round = summary.disbandReadyRound;
  const name = round ? (ROUND_NAMES[round] ?? `第${round}轮`) : '';
  if (summary.disbandReadyCode === 'ROUND_WITHOUT_NEW_PAYER') {
    return `${name || '有一轮'}结束时没有新增付费学员，可以解散了`;
  }
  if (summary.disbandReadyCode === 'LAST_ROUND_CLOSED') return '三轮优惠都已结束，可以解散了';
  return '转化已结束，可以解散了';
}

function roundView(round: ConversionRound) {
  return {
    round: round.round,
    name: ROUND_NAMES[round.round] ?? `第${round.round}轮`,
    window: `${dateTime(round.opensAt)} – ${dateTime(round.closesAt)}`,
    offer: round.offer ? `${round.offer.title} · ${priceLabel(round.offer.priceFen)}` : '',
    stats: `浏览 ${round.views} · 付费 ${round.paidOrders} · 新增付费 ${round.newPayers} · 营收 ${priceLabel(round.revenueFen)}`,
  };
}

function cohortView(cohort: Cohort) {
  return {
    id: cohort.id,
    title: cohort.title,
    status: statusTag(cohort.status),
    day: dayLine(cohort),
    members: cohort.memberCount,
    groupBound: cohort.groupBound,
    converting: cohort.status === 'converting',
    disbanded: cohort.status === 'disbanded',
    announcement: cohort.announcement ?? '',
    groupQr: cohort.groupQr ? groupQrView(cohort.groupQr) : null,
  };
}

const QR_STATES: Record<GroupQr['state'], { label: string; type: 'success' | 'warning' | 'danger'; note: string }> = {
  fresh: { label: '有效', type: 'success', note: '微信群二维码 7 天有效，到期前一天这里会提醒更换。' },
  expiring: { label: '明天过期', type: 'warning', note: '二维码明天就会过期：请在微信群里重新生成二维码，截图后在这里更换。' },
  expired: { label: '已过期', type: 'danger', note: '二维码已过期，学员扫不进群了：请在微信群里重新生成二维码，截图后在这里更换。' },
};

/** The group QR as operators see it: when it was uploaded, when WeChat expires it, what to do. */
export function groupQrView(qr: GroupQr) {
  return {
    url: mediaUrl(qr.url),
    uploaded: dateTime(qr.uploadedAt),
    expires: dateTime(qr.expiresAt),
    ...QR_STATES[qr.state],
  };
}

interface NextAction {
  name: string;
  subname?: string;
  id: number;
  className: string;
}

/** Cohorts members can still join: where a disbanded cohort's members may be invited. */
function nextCohortActions(currentId: number): NextAction[] {
  const open = cohortsStore.items
    .filter((c) => c.id !== currentId && (c.status === 'recruiting' || c.status === 'running'))
    .map((c) => ({ name: c.title, subname: `${statusTag(c.status).label} · ${dayLine(c)}`, id: c.id, className: 'next-cohort' }));
  return [...open, { name: '不邀请，直接解散', id: 0, className: 'no-next-cohort' }];
}

/**
 * One cohort for operators: its conversion rounds (publish each round's offer), whether it is ready to
 * disband, the metrics, and disbanding with a next cohort to invite its members to.
 */
Component({
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    cohort: null as ReturnType<typeof cohortView> | null,
    rounds: [] as ReturnType<typeof roundView>[],
    disbandReady: false,
    readiness: '',
    nextActions: [] as NextAction[],
    showNextSheet: false,
    nextCohortId: 0,
    nextCohortTitle: '',
    showDisbandDialog: false,
    disbandMessage: '',
    disbanding: false,
    result: null as { members: number; converted: number; invited: number; next: string } | null,
    uploadingQr: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) });
    },
    // Coming back from publishing an offer shows it.
    onShow() {
      if (this.data.id) void this.load();
    },
    async load() {
      try {
        const cohort = await cohortsStore.fetch(this.data.id);
        this.setData({ cohort: cohortView(cohort), state: 'ready' });
        wx.setNavigationBarTitle({ title: cohort.title });
        if (cohort.status === 'converting' || cohort.status === 'disbanded') await this.loadConversion();
      } catch (error) {
        if (this.data.state === 'ready') toastError(this, messageOf(error));
        else this.setData({ state: 'error', errorMessage: messageOf(error) });
      }
    },
    async loadConversion() {
      const summary = await conversionStore.loadSummary(this.data.id);
      this.setData({
        rounds: summary.rounds.map(roundView),
        disbandReady: summary.disbandReady,
        readiness: readinessText(summary),
      });
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReload() {
      this.setData({ state: 'loading' });
      void this.load();
    },
    onPublish(event: WechatMiniprogram.TouchEvent) {
      const round = Number(event.currentTarget.dataset.round);
      void wx.navigateTo({ url: `/packageOperator/pages/offer/index?cohortId=${this.data.id}&round=${round}` });
    },
    onEdit() {
      void wx.navigateTo({ url: `/packageOperator/pages/edit/index?id=${this.data.id}` });
    },
    onEditAnnouncement() {
      void wx.navigateTo({ url: `/packageOperator/pages/edit/index?id=${this.data.id}&only=announcement` });
    },
    onMetrics() {
      void wx.navigateTo({ url: `/packageOperator/pages/metrics/index?id=${this.data.id}` });
    },
    async onClone(event: WechatMiniprogram.PickerChange) {
      const startDate = String(event.detail.value);
      try {
        const cohort = await operatorApi.cloneCohort(this.data.id, { startDate });
        cohortsStore.put(cohort);
        toastText(this, `已创建下一期：${cohort.title}`);
        void wx.navigateTo({ url: `/packageOperator/pages/cohort/index?id=${cohort.id}` });
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },

    // ----- the group QR members long-press to join the WeChat group -----
    onUploadQr() {
      if (this.data.uploadingQr) return;
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sizeType: ['original'],
        sourceType: ['album'],
        success: (res) => {
          const file = res.tempFiles[0];
          if (file) void this.uploadQr(file.tempFilePath);
        },
      });
    },
    async uploadQr(path: string) {
      this.setData({ uploadingQr: true });
      try {
        const image = await uploadFile<UploadedImage>('/uploads/images', path);
        const cohort = await operatorApi.setGroupQr(this.data.id, image.url);
        cohortsStore.put(cohort);
        this.setData({ cohort: cohortView(cohort) });
        toastText(this, '群二维码已更新，学员在打卡期页面长按即可入群');
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ uploadingQr: false });
      }
    },
    onPreviewQr() {
      const url = this.data.cohort?.groupQr?.url;
      if (url) wx.previewImage({ urls: [url], current: url });
    },

    // ----- disband: pick the next cohort, confirm, record -----
    async onDisband() {
      if (cohortsStore.status !== 'ready') await cohortsStore.load();
      this.setData({ nextActions: nextCohortActions(this.data.id), showNextSheet: true });
    },
    onCloseNextSheet() {
      this.setData({ showNextSheet: false });
    },
    onPickNext(event: WechatMiniprogram.CustomEvent<NextAction>) {
      const next = event.detail;
      const title = this.data.cohort?.title ?? '';
      const invite = next.id ? `学员会收到加入「${next.name}」的邀请。` : '不向学员发送下一期的邀请。';
      const warning = this.data.disbandReady ? '' : '转化轮次还没有结束，提前解散会停止后续优惠。\n';
      this.setData({
        showNextSheet: false,
        nextCohortId: next.id,
        nextCohortTitle: next.id ? next.name : '',
        showDisbandDialog: true,
        disbandMessage:
          `${warning}微信没有解散群聊的接口：请群主在微信里解散「${title}」的打卡群。` +
          `这里记录解散：停止打卡和提醒，解绑群，记录已转化的学员；${invite}`,
      });
    },
    onCancelDisband() {
      this.setData({ showDisbandDialog: false });
    },
    async onConfirmDisband() {
      this.setData({ showDisbandDialog: false, disbanding: true });
      try {
        const result: DisbandResult = await operatorApi.disband(this.data.id, this.data.nextCohortId || null);
        cohortsStore.put(result.cohort);
        conversionStore.forget(this.data.id);
        this.setData({
          cohort: cohortView(result.cohort),
          result: { members: result.members, converted: result.converted, invited: result.invited, next: this.data.nextCohortTitle },
        });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ disbanding: false });
      }
    },
  },
});
