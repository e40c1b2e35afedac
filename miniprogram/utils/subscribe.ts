import { api } from '../services/api';
import type { SubscribeResult } from '../services/types';

/** The templates a member is asked about after a check-in: tomorrow's reminder and the teacher's review. */
export const CHECKIN_TEMPLATE_KEYS = ['reminder', 'review'];

/** Template ids to ask consent for (loaded ahead: the consent dialog must open straight from a tap). */
export async function checkinTemplateIds(): Promise<string[]> {
  const { templates } = await api.subscriptions();
  return templates.filter((t) => CHECKIN_TEMPLATE_KEYS.includes(t.key)).map((t) => t.templateId);
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
