/** The in-app notices likes and comments leave their check-in's author, by dedupe key. */

/** One notice per comment (quoting it). */
export const commentNoticeKey = (commentId: number) => `comment:${commentId}`;

/** One notice per check-in gathering its likes («3 人赞了你的打卡», naming the latest liker). */
export const likesNoticeKey = (checkinId: number) => `likes:${checkinId}`;
