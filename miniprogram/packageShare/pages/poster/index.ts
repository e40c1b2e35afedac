import { api, mediaUrl } from '../../../services/api';
import type { Certificate, Cohort, PosterCode } from '../../../services/api-types';
import { cohortsStore } from '../../../stores/cohorts';
import { inviteStore } from '../../../stores/invite';
import { memberStore } from '../../../stores/member';
import { codeOf, messageOf } from '../../../utils/errors';
import { toastError, toastText } from '../../../utils/toast';
import { saveToAlbum, SAVE_MESSAGES } from '../../utils/album';
import { EXPORT_SCALE, POSTER_SIZE, renderPoster, type PosterContent, type PosterKind } from '../../utils/poster';
import { certificateCard, dailyCard, FOOTER_WITHOUT_CODE, invitationPoster, POSTER_TITLES } from '../../utils/poster-content';

type PosterCanvas = NonNullable<Awaited<ReturnType<typeof renderPoster>>>;

const KINDS: PosterKind[] = ['poster', 'daily', 'certificate'];

/** The member's nickname, after the launch login (a page opened from a link may come first). */
async function nickname(): Promise<string> {
  if (!memberStore.member) await memberStore.refresh();
  return memberStore.member?.nickname ?? '';
}

/** The poster code, or null for a cohort that takes nobody any more (a certificate after the cohort ended). */
async function posterCodeOrNone(cohortId: number): Promise<PosterCode | null> {
  try {
    return await api.posterCode(cohortId);
  } catch (error) {
    if (codeOf(error) === 'COHORT_CLOSED') return null;
    throw error;
  }
}

const canvases = new WeakMap<object, PosterCanvas>();

/**
 * A poster drawn on a 2D canvas: the invitation poster with my Mini Program code, the daily card (日签)
 * from the check-in, or the completion certificate. Saved to the album (asking for the permission) or
 * shared as an image.
 */
Component({
  data: {
    id: 0,
    kind: 'poster' as PosterKind,
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    /** The error is NOT_COMPLETED (a certificate before the last day): no reload offered. */
    notCompleted: false,
    title: '',
    hint: '',
    busy: false,
    width: POSTER_SIZE.width,
    height: POSTER_SIZE.height,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kind = KINDS.includes(query.kind as PosterKind) ? (query.kind as PosterKind) : 'poster';
      this.setData({ id: Number(query.id), kind, title: POSTER_TITLES[kind] });
      wx.setNavigationBarTitle({ title: POSTER_TITLES[kind] });
      wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage'] });
      void inviteStore.ensureCode(Number(query.id));
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading', notCompleted: false });
      try {
        const { content, code, cohort } = await this.contentOf();
        // The canvas is on the page once this render is done.
        await new Promise<void>((resolve) => this.setData({ state: 'ready', hint: hintFor(this.data.kind, Boolean(code)) }, resolve));
        const canvas = await renderPoster(this, '#poster', code ? content : { ...content, footer: FOOTER_WITHOUT_CODE }, {
          cover: cohort?.coverImageUrl ? mediaUrl(cohort.coverImageUrl) : undefined,
          avatar: memberStore.member?.avatarUrl ? mediaUrl(memberStore.member.avatarUrl) : undefined,
          code: code ? mediaUrl(code.imageUrl) : undefined,
        });
        if (canvas) canvases.set(this, canvas);
      } catch (error) {
        this.setData({ state: 'error', errorMessage: messageOf(error), notCompleted: codeOf(error) === 'NOT_COMPLETED' });
      }
    },
    async contentOf(): Promise<{ content: PosterContent; code: PosterCode | null; cohort: Cohort | null }> {
      const id = this.data.id;
      if (this.data.kind === 'certificate') {
        const [certificate, code]: [Certificate, PosterCode | null] = await Promise.all([api.certificate(id), posterCodeOrNone(id)]);
        return { content: certificateCard(certificate), code, cohort: cohortsStore.byId(id) ?? null };
      }
      const [cohort, name, code] = await Promise.all([cohortsStore.fetch(id), nickname(), posterCodeOrNone(id)]);
      const content = this.data.kind === 'daily' ? dailyCard(cohort, name) : invitationPoster(cohort, name);
      return { content, code, cohort };
    },
    onReload() {
      void this.load();
    },
    /** The drawn poster as a file, three times the screen size. */
    exportPoster(): Promise<string> {
      const canvas = canvases.get(this);
      if (!canvas) return Promise.reject(new Error('no poster drawn'));
      return new Promise((resolve, reject) => {
        wx.canvasToTempFilePath({
          canvas: canvas as unknown as WechatMiniprogram.Canvas,
          destWidth: POSTER_SIZE.width * EXPORT_SCALE,
          destHeight: POSTER_SIZE.height * EXPORT_SCALE,
          fileType: 'png',
          success: (res) => resolve(res.tempFilePath),
          fail: reject,
        });
      });
    },
    async onSave() {
      if (this.data.busy || this.data.state !== 'ready') return;
      this.setData({ busy: true });
      try {
        const outcome = await saveToAlbum(await this.exportPoster());
        (outcome === 'saved' ? toastText : toastError)(this, SAVE_MESSAGES[outcome]);
      } catch {
        toastError(this, SAVE_MESSAGES.failed);
      } finally {
        this.setData({ busy: false });
      }
    },
    /** WeChat's own sheet for an image: send to a friend, post to Moments, save, … */
    async onShareImage() {
      if (this.data.busy || this.data.state !== 'ready') return;
      try {
        const path = await this.exportPoster();
        wx.showShareImageMenu({ path, fail: () => undefined });
      } catch {
        toastError(this, '图片还没画好，请稍后再试');
      }
    },
    onShareAppMessage() {
      const title = memberStore.member?.nickname ? `${memberStore.member.nickname}邀请你一起打卡` : '一起来打卡';
      return { title, path: inviteStore.sharePath(this.data.id) };
    },
  },
});

function hintFor(kind: PosterKind, hasCode: boolean): string {
  if (!hasCode) return '本期已停止报名，图片上没有小程序码';
  if (kind === 'certificate') return '保存证书发到朋友圈，好友扫码也能加入';
  return '保存图片发到朋友圈或群里，好友长按识别小程序码就能加入；你邀请的新朋友第一次打卡后，你会得到积分';
}
