import { api } from '../services/api';
import type { SubscribeResult, SubscriptionTemplate } from '../services/api-types';

/** What each kind of subscription message is for, as members read it. */
export const TEMPLATE_TITLES: Record<string, string> = {
  reminder: '每日打卡提醒',
  review: '老师点评通知',
  offer: '续报优惠通知',
  invitation: '下一期开营邀请',
};

/** After a check-in: tomorrow's reminder and the teacher's review. */
export const CHECKIN_TEMPLATE_KEYS = ['reminder', 'review'];
/** On joining: the daily reminder, the review, and the offers that follow the cohort (WeChat asks at most 3 at once). */
export const JOIN_TEMPLATE_KEYS = ['reminder', 'review', 'offer'];
/** Near the end of a cohort: the offers of the three conversion rounds and the invitation to the next cohort. */
export const ENDING_TEMPLATE_KEYS = ['offer', 'invitation'];

/** The templates the server offers, with the sends I have banked. */
export async function subscriptionTemplates(): Promise<SubscriptionTemplate[]> {
  const { templates } = await api.subscriptions();
  return templates;
}

/** Template ids to ask consent for (loaded ahead: the consent dialog must open straight from a tap). */
export async function templateIds(keys: string[]): Promise<string[]> {
  const templates = await subscriptionTemplates();
  return keys.map((key) => templates.find((t) => t.key === key)?.templateId).filter((id): id is string => !!id);
}

export const checkinTemplateIds = () => templateIds(CHECKIN_TEMPLATE_KEYS);

/**
 * What to ask consent for after a check-in, by how close the cohort is to its end: tomorrow's reminder
 * and the review on ordinary days; near the end, the offers of the conversion rounds and the invitation
 * to the next cohort too (WeChat asks at most three templates at once).
 */
export function subscribeOffer(dayIndex: number, durationDays: number): { keys: string[]; label: string } {
  if (dayIndex >= durationDays) return { keys: ['review', ...ENDING_TEMPLATE_KEYS], label: '通知我老师点评和结营后的续报优惠' };
  if (dayIndex >= durationDays - 2) return { keys: ['reminder', ...ENDING_TEMPLATE_KEYS], label: '提醒我打卡，并通知结营后的续报优惠' };
  return { keys: CHECKIN_TEMPLATE_KEYS, label: '提醒我明天打卡' };
}

const RESULTS: SubscribeResult[] = ['accept', 'reject', 'ban', 'filter'];

/**
 * wx.requestSubscribeMessage, called synchronously from the tap handler (WeChat refuses it otherwise),
 * then the answers are sent to POST /me/subscriptions. Resolves how many templates were accepted.
 */
export function requestSubscribe(tmplIds: string[]): Promise<number> {
  return new Promise<Record<string, SubscribeResult>>((resolve, reject) => {
    wx.requestSubscribeMessage({
      tmplIds,
      success: (res) => {
        const results: Record<string, SubscribeResult> = {};
        for (const id of tmplIds) {
          const answer = (res as unknown as Record<string, string>)[id];
          if (RESULTS.includes(answer as SubscribeResult)) results[id] = answer as SubscribeResult;
        }
        resolve(results);
      },
      fail: (err) => reject(new Error(err.errMsg)),
    });
  }).then(async (results) => {
    if (Object.keys(results).length) await api.recordSubscriptions(results);
    return Object.keys(results).filter((id) => results[id] === 'accept').length;
  });
}
