import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { mediaUrl } from '../../../services/http';
import type { Checkin, QueueItem, Review, ReviewBody, UploadedAudio } from '../../../services/api-types';
import { uploadFile } from '../../../services/upload';
import { cohortsStore } from '../../../stores/cohorts';
import { memberStore } from '../../../stores/member';
import { dateTime } from '../../../utils/dates';
import { codeOf, messageOf } from '../../../utils/errors';
import { toastError, toastText } from '../../../utils/toast';
import { playVoice, stopVoice } from '../../../utils/voice';
import { teacherApi } from '../../services/teacher-api';
import { reviewQueueStore } from '../../stores/review-queue';
import { templatesStore, type TemplatesStore } from '../../stores/templates';

/** The server accepts voice notes of at most 60 s; WeChat's recorder stops itself at `duration`. */
export const MAX_AUDIO_MS = 60000;
export const MAX_REVIEW_TEXT = 1000;

type AudioState = 'none' | 'recording' | 'uploading' | 'ready' | 'failed';

const timers = new WeakMap<object, number>();

type LoadState = 'loading' | 'ready' | 'error';

function checkinView(item: Checkin & { cohortTitle?: string }) {
  return {
    id: item.id,
    author: item.author.nickname,
    cohort: item.cohortTitle ?? cohortsStore.byId(item.cohortId)?.title ?? '',
    meta: `第${item.dayIndex}天 · ${dateTime(item.createdAt)}`,
    text: item.text,
    images: item.imageUrls.map((url) => mediaUrl(url)),
    /** The member's recording: a spoken-English check-in is heard before it is reviewed. */
    audioUrl: item.audioUrl ?? '',
    audioSeconds: item.audioSeconds ?? 0,
  };
}

ComponentWithStore({
  storeBindings: {
    store: templatesStore,
    fields: { templates: (store: TemplatesStore) => store.items },
    actions: [],
  },
  data: {
    checkinId: 0,
    checkin: null as ReturnType<typeof checkinView> | null,
    loadState: 'ready' as LoadState,
    loadError: '',
    /** Set when editing my earlier review (PUT /reviews/:id) instead of writing a new one. */
    reviewId: 0,
    /** Someone else's review of this check-in: shown, not editable. */
    othersReview: null as { teacher: string; text: string } | null,
    /** The audio of the review as loaded, to send only what changed. */
    savedAudioUrl: '',
    featured: false,
    text: '',
    maxText: MAX_REVIEW_TEXT,
    audioState: 'none' as AudioState,
    recordSeconds: 0,
    audioUrl: '',
    audioSeconds: 0,
    audioPath: '',
    playing: false,
    submitting: false,
    /** The next check-in waiting in the queue, opened after sending ("发送并下一条"). */
    nextId: 0,
    micDialog: false,
  },
  lifetimes: {
    detached() {
      const timer = timers.get(this);
      if (timer !== undefined) clearInterval(timer);
      if (this.data.playing) stopVoice(false);
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const checkinId = Number(query.checkinId);
      const item = reviewQueueStore.byId(checkinId);
      this.setUpRecorder();
      if (item) this.show(item);
      else void this.loadCheckin(checkinId);
    },
    /** Opened without the item in the queue (a link with ?checkinId=): GET /checkins/:id. */
    async loadCheckin(checkinId: number) {
      this.setData({ checkinId, loadState: 'loading', loadError: '' });
      try {
        this.show(await teacherApi.checkin(checkinId));
      } catch (error) {
        this.setData({ loadState: 'error', loadError: messageOf(error) });
      }
    },
    onReload() {
      void this.loadCheckin(this.data.checkinId);
    },
    show(item: Checkin | QueueItem) {
      this.setData({ checkinId: item.id, checkin: checkinView(item), featured: item.featured, loadState: 'ready', nextId: reviewQueueStore.nextAfter(item.id)?.id ?? 0 });
      const review = item.review;
      if (!review) return;
      if (review.teacher.id === memberStore.member?.id) this.edit(review);
      else this.setData({ othersReview: { teacher: review.teacher.nickname, text: review.text } });
    },
    /** My earlier review: its text and voice note, saved with PUT /reviews/:id. */
    edit(review: Review) {
      this.setData({
        reviewId: review.id,
        text: review.text,
        savedAudioUrl: review.audioUrl ?? '',
        audioUrl: review.audioUrl ?? '',
        audioSeconds: review.audioSeconds ?? 0,
        audioState: review.audioUrl ? 'ready' : 'none',
      });
    },
    // Templates may have been edited on the template page: reload on show.
    async onShow() {
      try {
        await templatesStore.load();
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
    onTextInput(event: { detail: { value: string } }) {
      this.setData({ text: event.detail.value });
    },
    onInsertTemplate(event: WechatMiniprogram.TouchEvent) {
      const template = String(event.currentTarget.dataset.text ?? '');
      const current = (this.data.text as string).trim();
      const text = (current ? `${current}\n${template}` : template).slice(0, MAX_REVIEW_TEXT);
      this.setData({ text });
    },
    onManageTemplates() {
      void wx.navigateTo({ url: '/packageTeacher/pages/templates/index' });
    },
    onPreview(event: WechatMiniprogram.TouchEvent) {
      wx.previewImage({ urls: this.data.checkin?.images ?? [], current: String(event.currentTarget.dataset.url) });
    },

    // ----- feature -----
    async onFeatureChange(event: WechatMiniprogram.SwitchChange) {
      const featured = event.detail.value;
      this.setData({ featured });
      try {
        await teacherApi.feature(this.data.checkinId, featured);
        reviewQueueStore.setFeatured(this.data.checkinId, featured);
        toastText(this, featured ? '已设为精选' : '已取消精选');
      } catch (error) {
        this.setData({ featured: !featured });
        toastError(this, messageOf(error));
      }
    },

    // ----- voice note -----
    setUpRecorder() {
      const recorder = wx.getRecorderManager();
      recorder.onStart(() => {
        this.setData({ audioState: 'recording', recordSeconds: 0 });
        const timer = setInterval(() => this.setData({ recordSeconds: this.data.recordSeconds + 1 }), 1000);
        timers.set(this, timer as unknown as number);
      });
      recorder.onStop((res) => {
        const timer = timers.get(this);
        if (timer !== undefined) clearInterval(timer);
        timers.delete(this);
        this.setData({ audioPath: res.tempFilePath });
        void this.uploadAudio();
      });
      recorder.onError((err) => {
        const timer = timers.get(this);
        if (timer !== undefined) clearInterval(timer);
        this.setData({ audioState: 'none' });
        // A refused microphone is fixed in the settings, not by trying again.
        if (/auth|permission|authorize/i.test(err.errMsg)) this.setData({ micDialog: true });
        else toastError(this, '录音没有成功，请再试一次');
      });
    },
    onRecord() {
      if (this.data.audioState === 'recording') {
        wx.getRecorderManager().stop();
        return;
      }
      wx.getRecorderManager().start({ format: 'mp3', duration: MAX_AUDIO_MS, sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 });
    },
    async uploadAudio() {
      this.setData({ audioState: 'uploading' });
      try {
        const audio = await uploadFile<UploadedAudio>('/uploads/audio', this.data.audioPath);
        this.setData({ audioState: 'ready', audioUrl: audio.url, audioSeconds: audio.durationSeconds });
      } catch (error) {
        this.setData({ audioState: 'failed' });
        toastError(this, messageOf(error));
      }
    },
    onOpenSettings() {
      this.setData({ micDialog: false });
      wx.openSetting({});
    },
    onCloseMicDialog() {
      this.setData({ micDialog: false });
    },
    onRetryAudio() {
      void this.uploadAudio();
    },
    onDeleteAudio() {
      if (this.data.playing) stopVoice();
      this.setData({ audioState: 'none', audioUrl: '', audioSeconds: 0, audioPath: '', playing: false });
    },
    /** My voice note, played like every recording: one at a time (utils/voice). */
    onPlayAudio() {
      if (this.data.playing) {
        stopVoice();
        return;
      }
      playVoice(this.data.audioPath || mediaUrl(this.data.audioUrl), () => this.setData({ playing: false }));
      this.setData({ playing: true });
    },

    // ----- submit -----
    async onSubmit() {
      if (this.data.submitting) return;
      const state = this.data.audioState as AudioState;
      const typed = (this.data.text as string).trim();
      if (!typed && state !== 'ready') {
        toastError(this, '写几句点评，或录一段语音');
        return;
      }
      // A voice note alone is a whole review: the text is then empty, and the member sees only the player.
      const text = typed;
      if (state === 'recording' || state === 'uploading') {
        toastError(this, '语音还没处理完，请稍等');
        return;
      }
      const body: ReviewBody = { text };
      if (state === 'ready') {
        body.audioUrl = this.data.audioUrl;
        body.audioSeconds = this.data.audioSeconds;
      }
      this.setData({ submitting: true });
      if (this.data.reviewId) {
        await this.saveEdit(body);
        return;
      }
      try {
        await teacherApi.review(this.data.checkinId, body);
        // Straight on to the next check-in waiting, or back to the (now empty) queue.
        const next = reviewQueueStore.nextAfter(this.data.checkinId);
        reviewQueueStore.reviewed(this.data.checkinId);
        void wx.showToast({ title: '点评已发送', icon: 'success' });
        if (next) void wx.redirectTo({ url: `/packageTeacher/pages/review/index?checkinId=${next.id}` });
        else void wx.navigateBack();
      } catch (error) {
        if (codeOf(error) === 'REVIEW_ALREADY_EXISTS') reviewQueueStore.reviewed(this.data.checkinId);
        toastError(this, messageOf(error));
      } finally {
        this.setData({ submitting: false });
      }
    },
    /** PUT /reviews/:id with the text, and the voice note only when it changed (null removes it). */
    async saveEdit(body: ReviewBody) {
      const edit: Partial<ReviewBody> = { text: body.text };
      const audioUrl = body.audioUrl ?? null;
      if ((audioUrl ?? '') !== this.data.savedAudioUrl) {
        edit.audioUrl = audioUrl;
        edit.audioSeconds = audioUrl ? (body.audioSeconds ?? null) : null;
      }
      try {
        const review = await teacherApi.editReview(this.data.reviewId, edit);
        this.setData({ savedAudioUrl: review.audioUrl ?? '' });
        void wx.showToast({ title: '点评已修改', icon: 'success' });
        void wx.navigateBack();
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
