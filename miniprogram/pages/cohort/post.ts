import { api, mediaUrl } from '../../services/api';
import type { Comment } from '../../services/api-types';
import { checkinView, toggleLike, type CheckinView } from '../../utils/checkin-view';
import { dateTime } from '../../utils/dates';
import { codeOf, messageOf } from '../../utils/errors';
import { showPage } from '../../utils/paging';
import { toastError, toastText } from '../../utils/toast';

export const COMMENT_PAGE_SIZE = 20;
export const MAX_COMMENT = 500;

function commentView(comment: Comment) {
  return {
    id: comment.id,
    author: comment.author.nickname,
    initial: comment.author.nickname.slice(0, 1),
    avatar: mediaUrl(comment.author.avatarUrl),
    byTeacher: comment.byTeacher,
    held: comment.heldForReview,
    canDelete: comment.canDelete,
    when: dateTime(comment.createdAt),
    text: comment.text,
  };
}

type CommentView = ReturnType<typeof commentView>;

/**
 * One check-in with its likes and comments (where the feed's 评论 and the author's notices lead):
 * comments newest first, paged; a composer at the bottom; my comments (all of them, for staff) can
 * be deleted.
 */
Component({
  data: {
    id: 0,
    state: 'loading' as 'loading' | 'error' | 'ready',
    message: '',
    post: null as CheckinView | null,
    comments: [] as CommentView[],
    nextCursor: null as string | null,
    loaded: false,
    loadingMore: false,
    draft: '',
    maxComment: MAX_COMMENT,
    sending: false,
    focus: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ state: 'loading', message: '' });
      try {
        const [checkin, page] = await Promise.all([api.checkin(this.data.id), api.comments(this.data.id, { limit: COMMENT_PAGE_SIZE })]);
        this.setData({ post: checkinView(checkin), state: 'ready' });
        showPage(this, 'comments', page.items.map(commentView), true, page.nextCursor);
      } catch (error) {
        this.setData({ state: 'error', message: messageOf(error) });
      }
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async onReachBottom(): Promise<void> {
      if (!this.data.nextCursor || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const page = await api.comments(this.data.id, { limit: COMMENT_PAGE_SIZE, before: this.data.nextCursor });
        showPage(this, 'comments', page.items.map(commentView), false, page.nextCursor);
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ loadingMore: false });
      }
    },
    onLike(): void {
      const post = this.data.post as CheckinView | null;
      if (!post) return;
      if (post.mine) {
        toastError(this, post.likeCount ? `${post.likeCount} 人赞了你的打卡` : '还没有人点赞，继续加油');
        return;
      }
      toggleLike(post.id, { liked: post.liked, likeCount: post.likeCount }, (state) =>
        this.setData({ 'post.liked': state.liked, 'post.likeCount': state.likeCount }),
      ).catch((error: unknown) => toastError(this, messageOf(error)));
    },
    /** Already here: the comment box is at the bottom. */
    onOpenPost(): void {
      this.setData({ focus: true });
    },
    onPreview(event: WechatMiniprogram.TouchEvent): void {
      wx.previewImage({ urls: (this.data.post as CheckinView).images, current: String(event.currentTarget.dataset.url) });
    },
    onDraftInput(event: { detail: { value: string } }): void {
      this.setData({ draft: event.detail.value });
    },
    async onSend(): Promise<void> {
      const text = (this.data.draft as string).trim();
      if (this.data.sending) return;
      if (!text) {
        toastError(this, '写点什么再发送吧');
        return;
      }
      this.setData({ sending: true });
      try {
        const comment = await api.comment(this.data.id, text);
        const patch: Record<string, unknown> = { comments: [commentView(comment), ...(this.data.comments as CommentView[])], draft: '' };
        if (!comment.heldForReview) patch['post.commentCount'] = ((this.data.post as CheckinView).commentCount ?? 0) + 1;
        this.setData(patch);
        toastText(this, comment.heldForReview ? '评论已提交，审核通过后大家才能看到' : '评论已发送');
      } catch (error) {
        // The text stays in the box: CONTENT_REJECTED asks to rephrase, RATE_LIMITED to wait.
        toastError(this, codeOf(error) === 'CONTENT_REJECTED' ? '这条评论没有通过内容安全检查，请修改后再发' : messageOf(error));
      } finally {
        this.setData({ sending: false });
      }
    },
    onDeleteComment(event: WechatMiniprogram.TouchEvent): void {
      const id = Number(event.currentTarget.dataset.id);
      wx.showModal({
        title: '删除这条评论？',
        content: '删除后不能恢复',
        confirmText: '删除',
        confirmColor: '#c8102e',
        success: (res) => {
          if (res.confirm) void this.deleteComment(id);
        },
      });
    },
    async deleteComment(id: number): Promise<void> {
      try {
        await api.deleteComment(id);
        const comments = this.data.comments as CommentView[];
        const removed = comments.find((c) => c.id === id);
        const patch: Record<string, unknown> = { comments: comments.filter((c) => c.id !== id) };
        if (removed && !removed.held) patch['post.commentCount'] = Math.max(0, (this.data.post as CheckinView).commentCount - 1);
        this.setData(patch);
        toastText(this, '已删除');
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
  },
});
