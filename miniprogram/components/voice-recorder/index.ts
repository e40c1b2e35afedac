import { ensurePrivacyConsent } from '../../utils/privacy';
import type { UploadedAudio } from '../../services/api-types';
import { uploadFile } from '../../services/upload';
import { messageOf } from '../../utils/errors';
import { stopVoice, voiceLength } from '../../utils/voice';

/**
 * idle → recording → uploading → ready (or failed: retry); 重录 goes back to recording from any
 * of the last three. A refused microphone opens a dialog that leads to the settings.
 */
export type RecorderState = 'idle' | 'recording' | 'uploading' | 'ready' | 'failed';

const timers = new WeakMap<object, number>();

/**
 * Records a voice check-in with wx.getRecorderManager (MP3, mono, 48 kbps: 180 s stays near 1 MB),
 * shows the running length, plays it back, records again, and uploads it to POST /uploads/audio with
 * progress and a retry. Tells the page `change` ({url, seconds}, or an empty url while there is none
 * to send) and `busy` (recording or uploading: nothing to submit yet).
 */
Component({
  properties: {
    maxSeconds: { type: Number, value: 60 },
    /** The cohort recorded for: the server then applies its limit (up to 180 s) instead of 60 s. */
    cohortId: { type: Number, value: 0 },
  },
  data: {
    state: 'idle' as RecorderState,
    elapsed: 0,
    elapsedLabel: '0″',
    maxLabel: '',
    path: '',
    seconds: 0,
    lengthLabel: '',
    progress: 0,
    error: '',
    micDialog: false,
  },
  observers: {
    maxSeconds(max: number): void {
      this.setData({ maxLabel: voiceLength(max) });
    },
  },
  lifetimes: {
    attached(): void {
      const recorder = wx.getRecorderManager();
      recorder.onStart(() => {
        this.stopTimer();
        this.setData({ state: 'recording', elapsed: 0, elapsedLabel: voiceLength(0) });
        const timer = setInterval(() => {
          const elapsed = (this.data.elapsed as number) + 1;
          this.setData({ elapsed, elapsedLabel: voiceLength(elapsed) });
        }, 1000);
        timers.set(this, timer as unknown as number);
      });
      recorder.onStop((res) => {
        this.stopTimer();
        if (this.data.state !== 'recording') return;
        const seconds = Math.max(1, Math.round((res.duration || (this.data.elapsed as number) * 1000) / 1000));
        this.setData({ path: res.tempFilePath, seconds, lengthLabel: voiceLength(seconds) });
        void this.upload();
      });
      recorder.onError((err) => {
        this.stopTimer();
        this.setData({ state: 'idle' });
        if (/auth|permission|authorize/i.test(err.errMsg)) this.setData({ micDialog: true });
        else this.triggerEvent('failed', { message: '录音没有成功，请再试一次' });
        this.changed();
      });
    },
    detached(): void {
      this.stopTimer();
      if (this.data.state === 'recording') wx.getRecorderManager().stop();
    },
  },
  methods: {
    stopTimer(): void {
      const timer = timers.get(this);
      if (timer !== undefined) clearInterval(timer);
      timers.delete(this);
    },
    /** Asks for the microphone first: WeChat answers at once when it was refused before. */
    async onRecord(): Promise<void> {
      stopVoice();
      if (!(await ensurePrivacyConsent('录音'))) {
        this.setData({ error: '没有同意隐私保护指引，不能录音；只写文字也可以打卡' });
        return;
      }
      wx.authorize({
        scope: 'scope.record',
        success: () => {
          this.setData({ path: '', seconds: 0, progress: 0, error: '' });
          this.changed('recording');
          wx.getRecorderManager().start({
            format: 'mp3',
            duration: (this.data.maxSeconds as number) * 1000,
            sampleRate: 16000,
            numberOfChannels: 1,
            encodeBitRate: 48000,
          });
        },
        fail: () => this.setData({ micDialog: true }),
      });
    },
    onStop(): void {
      wx.getRecorderManager().stop();
    },
    async upload(): Promise<void> {
      this.setData({ state: 'uploading', progress: 0, error: '' });
      this.changed();
      let shown = 0;
      try {
        const cohortId = this.data.cohortId as number;
        const audio = await uploadFile<UploadedAudio>('/uploads/audio', this.data.path as string, (percent) => {
          if (percent - shown >= 10 || percent === 100) {
            shown = percent;
            this.setData({ progress: percent });
          }
        }, cohortId ? { cohortId: String(cohortId) } : undefined);
        this.setData({ state: 'ready', seconds: audio.durationSeconds, lengthLabel: voiceLength(audio.durationSeconds) });
        this.changed(audio.url);
      } catch (error) {
        this.setData({ state: 'failed', error: messageOf(error) });
        this.changed();
      }
    },
    onRetry(): void {
      void this.upload();
    },
    onDelete(): void {
      stopVoice();
      this.setData({ state: 'idle', path: '', seconds: 0, progress: 0, error: '' });
      this.changed();
    },
    /** `url`: the uploaded recording (ready), '' (nothing to send), or 'recording' while one is made. */
    changed(url = ''): void {
      const state = this.data.state as RecorderState;
      const busy = url === 'recording' || state === 'recording' || state === 'uploading';
      const ready = state === 'ready' && url !== '' && url !== 'recording';
      this.triggerEvent('change', { url: ready ? url : '', seconds: ready ? this.data.seconds : 0, busy, failed: state === 'failed' });
    },
    onOpenSettings(): void {
      this.setData({ micDialog: false });
      wx.openSetting({});
    },
    onCloseMicDialog(): void {
      this.setData({ micDialog: false });
    },
  },
});
