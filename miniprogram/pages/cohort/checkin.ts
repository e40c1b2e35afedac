import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { api, mediaUrl, NETWORK_ERROR } from '../../services/api';
import type { CheckinBody, CheckinKind, CheckinResult, Cohort, UploadedImage } from '../../services/api-types';
import { uploadFile } from '../../services/upload';
import { cohortsStore } from '../../stores/cohorts';
import { groupProofStore, type GroupProofStore } from '../../stores/group-proof';
import { inviteStore } from '../../stores/invite';
import { pointsStore } from '../../stores/points';
import { businessToday, shortDate } from '../../utils/dates';
import { codeOf, messageOf } from '../../utils/errors';
import { reasonLabel, signedPoints } from '../../utils/labels';
import { draftKey, LEAVE_WARNING } from '../../utils/draft';
import { requestSubscribe, subscribeOffer, templateIds } from '../../utils/subscribe';
import { ensurePrivacyConsent } from '../../utils/privacy';
import { toastError, toastText } from '../../utils/toast';

export const MAX_PHOTOS = 9;
/** Said when the privacy guide was not agreed to: the check-in goes on without photos. */
export const PHOTOS_NEED_CONSENT = '没有同意隐私保护指引，不能添加照片；只写文字也可以打卡';
export const MAX_TEXT = 2000;

type PhotoStatus = 'uploading' | 'done' | 'failed';

interface Photo {
  key: number;
  path: string;
  status: PhotoStatus;
  progress: number;
  url: string;
}

type Mode = 'loading' | 'loadError' | 'compose' | 'done' | 'already' | 'notRunning';

let nextPhotoKey = 1;



/** Day n of a cohort for a date `YYYY-MM-DD` (both dates as UTC midnights: no time zone involved). */
function dayIndexOf(cohort: Cohort, date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`) - Date.parse(`${cohort.startDate}T00:00:00Z`);
  return Math.round(ms / 86400000) + 1;
}

/** What the composer asks for, from the kinds the cohort takes: 写几句、传张照片或录一段语音. */
export function askFor(kinds: CheckinKind[]): string {
  const asks = { text: '写几句', photo: '传张照片', voice: '录一段语音' };
  const parts = kinds.map((kind) => asks[kind]);
  return parts.length > 1 ? `${parts.slice(0, -1).join('、')}或${parts[parts.length - 1]}` : parts[0] ?? '';
}

/** A streak milestone (7, 14, 21 days) or a completed cohort is celebrated on the success screen. */
function celebrationOf(result: CheckinResult, durationDays: number): { title: string; line: string } | null {
  const { streakDays, completed } = result.milestones ?? { streakDays: null, completed: false };
  if (completed) return { title: '全勤完成！', line: `${durationDays} 天一天不落，给坚持的自己鼓个掌` };
  if (streakDays) return { title: `连续打卡 ${streakDays} 天！`, line: '里程碑达成，继续保持这个节奏' };
  return null;
}

function resultView(result: CheckinResult, durationDays: number) {
  return {
    celebration: celebrationOf(result, durationDays),
    checkinId: result.checkin.id,
    awards: result.awards.map((award) => ({ label: reasonLabel(award.reason), points: signedPoints(award.points) })),
    total: signedPoints(result.awards.reduce((sum, award) => sum + award.points, 0)),
    streak: result.streak,
    balance: result.balance,
    groupEarned: result.checkin.viaGroup || result.awards.some((award) => award.reason === 'group_bonus'),
    completed: result.awards.some((award) => award.reason === 'completion_bonus'),
  };
}

ComponentWithStore({
  storeBindings: {
    store: groupProofStore,
    fields: { groupHeld: (store: GroupProofStore) => store.held },
    actions: [],
  },
  data: {
    id: 0,
    makeUpDate: '',
    makeUpLabel: '',
    mode: 'loading' as Mode,
    message: '',
    title: '',
    prompt: '',
    makeUpCost: 0,
    text: '',
    maxText: MAX_TEXT,
    maxPhotos: MAX_PHOTOS,
    photos: [] as Photo[],
    submitting: false,
    networkError: '',
    proofDialog: false,
    proofMessage: '',
    result: null as ReturnType<typeof resultView> | null,
    tmplIds: [] as string[],
    subscribeLabel: '提醒我明天打卡',
    subscribed: false,
    dayIndex: 0,
    durationDays: 0,
    /** What the cohort takes (at least one of them); all three until the cohort says otherwise. */
    takesText: true,
    takesPhotos: true,
    takesVoice: true,
    asks: askFor(['text', 'photo', 'voice']),
    maxAudioSeconds: 60,
    /** The uploaded recording to send, and whether one is being made or uploaded. */
    audioUrl: '',
    audioBusy: false,
    audioFailed: false,
    /** The cohort's group is bound and gives a bonus: a check-in made outside it can still earn it by sharing. */
    groupBonus: 0,
    draftRestored: false,
    /** Whether the last attempt offered the group proof (a network retry repeats it). */
    lastWithProof: true,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const makeUpDate = query.makeUpDate ?? '';
      this.setData({
        id: Number(query.id),
        makeUpDate,
        makeUpLabel: makeUpDate ? shortDate(makeUpDate) : '',
      });
      wx.setNavigationBarTitle({ title: makeUpDate ? '补卡' : '今日打卡' });
      // withShareTicket: a card opened in a group hands over that group's proof (the share-into-group bonus).
      wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage'] });
      void inviteStore.ensureCode(Number(query.id));
      void this.load();
    },
    draftKey(): string {
      return draftKey(this.data.id, this.data.makeUpDate || businessToday());
    },
    /** Keeps what is typed (WeChat asks before going back; a swipe back is not asked, the draft is kept). */
    keepDraft(text: string) {
      if (text.trim()) {
        wx.setStorageSync(this.draftKey(), text);
        wx.enableAlertBeforeUnload?.({ message: LEAVE_WARNING });
      } else {
        this.dropDraft();
      }
    },
    dropDraft() {
      wx.removeStorageSync(this.draftKey());
      wx.disableAlertBeforeUnload?.();
    },
    restoreDraft() {
      const draft = wx.getStorageSync<string>(this.draftKey());
      if (typeof draft === 'string' && draft && !this.data.text) {
        this.setData({ text: draft, draftRestored: true });
        wx.enableAlertBeforeUnload?.({ message: LEAVE_WARNING });
      }
    },
    onShow() {
      groupProofStore.tick();
    },
    async load() {
      this.setData({ mode: 'loading' });
      try {
        const cohort = await cohortsStore.fetch(this.data.id);
        const day = this.data.makeUpDate ? dayIndexOf(cohort, this.data.makeUpDate) : cohort.dayIndex;
        const prompt = cohort.prompts.find((p) => p.dayIndex === day)?.text ?? (this.data.makeUpDate ? '' : cohort.todayPrompt ?? '');
        const kinds = cohort.checkinKinds?.length ? cohort.checkinKinds : (['text', 'photo', 'voice'] as CheckinKind[]);
        this.setData({
          title: cohort.title, prompt, makeUpCost: cohort.points.makeUpCost, dayIndex: day ?? 0, durationDays: cohort.durationDays,
          takesText: kinds.includes('text'), takesPhotos: kinds.includes('photo'), takesVoice: kinds.includes('voice'),
          asks: askFor(kinds), maxAudioSeconds: cohort.maxAudioSeconds ?? 60,
          groupBonus: cohort.groupBound ? cohort.points.groupBonusPoints : 0,
        });
        if (cohort.status !== 'running') {
          this.setData({ mode: 'notRunning', message: cohort.status === 'recruiting' ? '本期还没开始，开始后再来打卡吧' : '本期打卡已结束' });
        } else if (!this.data.makeUpDate && cohort.me?.checkedInToday) {
          // Said before anything is typed, not on submit.
          this.setData({ mode: 'already' });
        } else {
          this.setData({ mode: 'compose' });
          this.restoreDraft();
        }
      } catch (error) {
        this.setData({ mode: 'loadError', message: messageOf(error) });
      }
    },

    onTextInput(event: { detail: { value: string } }) {
      this.setData({ text: event.detail.value, draftRestored: false });
      this.keepDraft(event.detail.value);
    },

    // ----- photos -----
    async onAddPhotos() {
      const left = MAX_PHOTOS - this.data.photos.length;
      if (left <= 0) return;
      if (!(await ensurePrivacyConsent('添加照片（相册或拍照）'))) {
        toastError(this, PHOTOS_NEED_CONSENT);
        return;
      }
      wx.chooseMedia({
        count: left,
        mediaType: ['image'],
        sizeType: ['compressed'],
        sourceType: ['album', 'camera'],
        success: (res) => {
          const start = this.data.photos.length;
          const added = res.tempFiles.slice(0, left).map(
            (file): Photo => ({ key: nextPhotoKey++, path: file.tempFilePath, status: 'uploading', progress: 0, url: '' }),
          );
          // Path keys: only the new photos travel to the view layer.
          const patch: Record<string, Photo> = {};
          added.forEach((photo, i) => (patch[`photos[${start + i}]`] = photo));
          this.setData(patch);
          added.forEach((photo) => void this.upload(photo.key));
        },
      });
    },
    indexOfPhoto(key: number): number {
      return (this.data.photos as Photo[]).findIndex((photo) => photo.key === key);
    },
    setPhoto(key: number, changes: Partial<Photo>) {
      const index = this.indexOfPhoto(key);
      if (index === -1) return; // removed meanwhile
      const patch: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(changes)) patch[`photos[${index}].${field}`] = value;
      this.setData(patch);
    },
    async upload(key: number) {
      const photo = (this.data.photos as Photo[])[this.indexOfPhoto(key)];
      if (!photo) return;
      this.setPhoto(key, { status: 'uploading', progress: 0 });
      let shown = 0;
      try {
        const { url } = await uploadFile<UploadedImage>('/uploads/images', photo.path, (percent) => {
          // At most one update per 10 %: setData crosses threads.
          if (percent - shown >= 10 || percent === 100) {
            shown = percent;
            this.setPhoto(key, { progress: percent });
          }
        });
        this.setPhoto(key, { status: 'done', progress: 100, url });
      } catch (error) {
        this.setPhoto(key, { status: 'failed' });
        toastError(this, messageOf(error));
      }
    },
    onRetryPhoto(event: WechatMiniprogram.TouchEvent) {
      void this.upload(Number(event.currentTarget.dataset.key));
    },
    onRemovePhoto(event: WechatMiniprogram.TouchEvent) {
      const key = Number(event.currentTarget.dataset.key);
      this.setData({ photos: (this.data.photos as Photo[]).filter((photo) => photo.key !== key) });
    },
    onPreviewPhoto(event: WechatMiniprogram.TouchEvent) {
      const photos = this.data.photos as Photo[];
      wx.previewImage({ urls: photos.map((p) => p.path), current: String(event.currentTarget.dataset.path) });
    },

    // ----- the recording (components/voice-recorder) -----
    onAudioChange(event: { detail: { url: string; busy: boolean; failed: boolean } }) {
      this.setData({ audioUrl: event.detail.url, audioBusy: event.detail.busy, audioFailed: event.detail.failed });
    },
    onAudioFailed(event: { detail: { message: string } }) {
      toastError(this, event.detail.message);
    },

    // ----- submit -----
    onSubmit() {
      void this.submit(true);
    },
    onRetrySubmit() {
      void this.submit(this.data.lastWithProof);
    },
    onCheckinWithoutProof() {
      this.setData({ proofDialog: false });
      void this.submit(false);
    },
    onCloseProofDialog() {
      this.setData({ proofDialog: false });
    },
    async submit(withProof: boolean) {
      if (this.data.submitting) return;
      const text = this.data.takesText ? (this.data.text as string).trim() : '';
      const photos = this.data.takesPhotos ? (this.data.photos as Photo[]) : [];
      const audioUrl = this.data.takesVoice ? (this.data.audioUrl as string) : '';
      if (this.data.audioBusy) {
        toastError(this, '录音还没处理完，请稍等');
        return;
      }
      if (this.data.audioFailed) {
        toastError(this, '录音上传失败，请重试或删除');
        return;
      }
      if (!text && !photos.length && !audioUrl) {
        toastError(this, `${this.data.asks}，再提交打卡`);
        return;
      }
      if (photos.some((p) => p.status === 'uploading')) {
        toastError(this, '照片还在上传，请稍等');
        return;
      }
      if (photos.some((p) => p.status === 'failed')) {
        toastError(this, '有照片上传失败，请重试或删除');
        return;
      }
      const body: CheckinBody = { text, imageUrls: photos.map((p) => p.url) };
      if (audioUrl) body.audioUrl = audioUrl;
      if (this.data.makeUpDate) body.makeUpDate = this.data.makeUpDate;
      else if (withProof && groupProofStore.current) body.groupProof = groupProofStore.current;

      this.setData({ submitting: true, networkError: '', lastWithProof: withProof });
      try {
        const result = await api.checkIn(this.data.id, body);
        pointsStore.setBalance(result.balance);
        cohortsStore.checkedIn(this.data.id, result);
        this.dropDraft();
        this.setData({ mode: 'done', result: resultView(result, this.data.durationDays) });
        void this.loadTemplates();
      } catch (error) {
        this.onSubmitError(error);
      } finally {
        this.setData({ submitting: false });
      }
    },
    onSubmitError(error: unknown) {
      switch (codeOf(error)) {
        case 'CHECKIN_ALREADY_DONE':
          this.dropDraft();
          this.setData({ mode: 'already' });
          break;
        case 'COHORT_NOT_RUNNING':
          this.setData({ mode: 'notRunning', message: messageOf(error) });
          break;
        case NETWORK_ERROR:
          this.setData({ networkError: messageOf(error) });
          break;
        case 'GROUP_PROOF_INVALID':
        case 'GROUP_MISMATCH':
          // That proof will not pass again: drop it and offer the base points.
          groupProofStore.drop();
          this.setData({ proofDialog: true, proofMessage: messageOf(error) });
          break;
        default:
          toastError(this, messageOf(error));
      }
    },

    // ----- after the check-in -----
    async loadTemplates() {
      const offer = subscribeOffer(this.data.dayIndex, this.data.durationDays);
      try {
        this.setData({ tmplIds: await templateIds(offer.keys), subscribeLabel: offer.label });
      } catch {
        // No reminder offer then; the check-in itself is done.
      }
    },
    /** From the button's tap: WeChat shows its consent dialog only for a user's tap. */
    onSubscribe() {
      const tmplIds = this.data.tmplIds as string[];
      if (!tmplIds.length) return;
      requestSubscribe(tmplIds).then(
        (accepted) => {
          this.setData({ subscribed: true });
          toastText(this, accepted ? (this.data.subscribeLabel === '提醒我明天打卡' ? '好的，明天会提醒你打卡' : '好的，到时会通知你') : '已记录你的选择');
        },
        () => toastError(this, '没能打开订阅提醒，请稍后再试'),
      );
    },
    onProgress() {
      void wx.redirectTo({ url: `/pages/cohort/progress?id=${this.data.id}` });
    },
    /**
     * Right after a check-in is the best moment to share: the card says how far I have come and carries my
     * invite. Shared with "分享到打卡群" it also names the check-in (`gs`): opened in the cohort's group, that
     * card earns it the group bonus.
     */
    onShareAppMessage(share?: { from?: string; target?: { dataset?: Record<string, string> } }) {
      const result = this.data.result;
      if (this.data.mode === 'done' && result && !this.data.makeUpDate) {
        const title = `我在「${this.data.title}」打卡第${this.data.dayIndex}天，已连续${result.streak.current}天`;
        const toGroup = share?.from === 'button' && share.target?.dataset?.share === 'group';
        // The card shows my first photo of the day when there is one.
        const photo = (this.data.photos as Photo[]).find((p) => p.status === 'done');
        return { title, path: inviteStore.sharePath(this.data.id, toGroup ? { gs: result.checkinId } : {}), imageUrl: photo ? mediaUrl(photo.url) : undefined };
      }
      return { title: this.data.title ? `一起来打卡：${this.data.title}` : '一起来打卡', path: inviteStore.sharePath(this.data.id) };
    },
    onDailyCard() {
      void wx.navigateTo({ url: `/packageShare/pages/poster/index?id=${this.data.id}&kind=daily` });
    },
    onCertificate() {
      void wx.navigateTo({ url: `/packageShare/pages/poster/index?id=${this.data.id}&kind=certificate` });
    },
    onFeed() {
      void wx.redirectTo({ url: `/pages/cohort/feed?id=${this.data.id}` });
    },
  },
});
