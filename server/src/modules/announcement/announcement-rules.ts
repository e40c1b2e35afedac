/** Pure rules of scheduled announcements (the playbook's daily timetable). No framework imports. */

/** The playbook's slots of the day, with the time each one usually goes out. */
export const announcementSlots = ['morning', 'tips', 'interaction', 'summary', 'custom'] as const;
export type AnnouncementSlot = (typeof announcementSlots)[number];

export const slotTemplates: Record<AnnouncementSlot, { label: string; time: string }> = {
  morning: { label: '早安', time: '08:00' },
  tips: { label: '干货', time: '11:00' },
  interaction: { label: '互动', time: '13:00' },
  summary: { label: '总结', time: '17:00' },
  custom: { label: '通知', time: '09:00' },
};

export const announcementStates = ['scheduled', 'published', 'cancelled'] as const;
export type AnnouncementState = (typeof announcementStates)[number];

/** Only a scheduled announcement whose time has not come can still be edited or cancelled. */
export function isChangeable(state: AnnouncementState, scheduledAt: Date, now: Date): boolean {
  return state === 'scheduled' && scheduledAt.getTime() > now.getTime();
}

/** A subscription message's thing fields take at most 20 characters. */
export function messageTitle(title: string): string {
  const chars = [...title];
  return chars.length <= 20 ? title : `${chars.slice(0, 19).join('')}…`;
}
