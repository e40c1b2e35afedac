import { api, mediaUrl } from '../services/api';
import type { Checkin, LikeState } from '../services/api-types';
import { memberStore } from '../stores/member';
import { dateTime } from './dates';

/** A check-in as the feed and the check-in page show it (pages/cohort/checkin-card.wxml). */
export function checkinView(checkin: Checkin) {
  return {
    id: checkin.id,
    author: checkin.author.nickname,
    initial: checkin.author.nickname.slice(0, 1),
    avatar: mediaUrl(checkin.author.avatarUrl),
    meta: `第${checkin.dayIndex}天 · ${dateTime(checkin.createdAt)}`,
    text: checkin.text,
    images: checkin.imageUrls.map((url) => mediaUrl(url)),
    audioUrl: checkin.audioUrl ?? '',
    audioSeconds: checkin.audioSeconds ?? 0,
    featured: checkin.featured,
    madeUp: checkin.isMakeUp,
    viaGroup: checkin.viaGroup,
    held: checkin.heldForReview,
    liked: checkin.likedByMe,
    likeCount: checkin.likeCount,
    commentCount: checkin.commentCount,
    /** My own check-in: it cannot be liked by me. */
    mine: checkin.author.id === memberStore.member?.id,
    review: checkin.review
      ? {
          teacher: checkin.review.teacher.nickname,
          text: checkin.review.text,
          audioUrl: checkin.review.audioUrl ?? '',
          audioSeconds: checkin.review.audioSeconds ?? 0,
        }
      : null,
  };
}

export type CheckinView = ReturnType<typeof checkinView>;

/**
 * A like that shows at once: `show` gets the expected state before the server answers, then the
 * server's state; on an error it gets the state before the tap back, and the error is rethrown.
 */
export async function toggleLike(checkinId: number, before: LikeState, show: (state: LikeState) => void): Promise<void> {
  show({ liked: !before.liked, likeCount: Math.max(0, before.likeCount + (before.liked ? -1 : 1)) });
  try {
    show(await (before.liked ? api.unlike(checkinId) : api.like(checkinId)));
  } catch (error) {
    show(before);
    throw error;
  }
}
