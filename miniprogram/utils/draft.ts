/** Said by WeChat when the member goes back with text typed (the draft is kept either way). */
export const LEAVE_WARNING = '打卡还没提交，离开后文字会保存为草稿，下次打开可以继续。确定离开吗？';

/** Where a check-in being written is kept: per cohort and per day, so yesterday's draft never resurfaces. */
export function draftKey(cohortId: number, date: string): string {
  return `checkin-draft:${cohortId}:${date}`;
}
