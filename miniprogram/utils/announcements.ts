import type { PublishedAnnouncement } from '../services/api-types';
import { clockTime } from './dates';

const slotLabels: Record<PublishedAnnouncement['slot'], string> = { morning: '早安', tips: '干货', interaction: '互动', summary: '总结', custom: '通知' };

export interface NoticeView {
  id: number;
  label: string;
  time: string;
  title: string;
  body: string;
}

/** One of today's announcements as a page shows it: `早安 · 08:00`, its title and text. */
export function noticeView(notice: PublishedAnnouncement): NoticeView {
  return { id: notice.id, label: slotLabels[notice.slot], time: clockTime(notice.publishedAt), title: notice.title, body: notice.body };
}
