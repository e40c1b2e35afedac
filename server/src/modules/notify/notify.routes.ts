import { z } from 'zod';
import { templateKeys } from '../../config';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import type { NotifyService } from './notify.service';

const subscriptionsSchema = z
  .object({
    templates: z.array(z.object({ key: z.string(), templateId: z.string(), sendsLeft: z.number().int() })),
  })
  .openapi('Subscriptions');

export function registerNotifyRoutes(api: ApiRouter, notify: NotifyService): void {
  api.add({
    method: 'get', path: '/me/subscriptions', tag: 'notify', access: 'member',
    summary: 'Subscription-message templates to ask consent for, and the sends I have banked',
    response: subscriptionsSchema,
    handler: ({ principal }) => notify.subscriptions(principal.memberId),
  });
  api.add({
    method: 'post', path: '/me/subscriptions', tag: 'notify', access: 'member',
    summary: 'Record what wx.requestSubscribeMessage answered (templateId -> accept/reject/ban/filter)',
    body: z.strictObject({
      results: z.record(z.string().min(1).max(128), z.enum(['accept', 'reject', 'ban', 'filter'])).refine(
        (results) => Object.keys(results).length <= 10, 'at most 10 templates at once',
      ),
    }),
    response: subscriptionsSchema,
    handler: ({ principal, body }) => notify.recordConsent(principal.memberId, body.results),
  });
  api.add({
    method: 'delete', path: '/me/subscriptions/:key', tag: 'notify', access: 'member',
    params: z.object({ key: z.enum(templateKeys) }),
    summary: 'Stop one kind of subscription message (reminder, review, offer, invitation): drops the sends I had banked',
    response: subscriptionsSchema,
    handler: ({ principal, params }) => notify.stopSubscription(principal.memberId, params.key),
  });
  api.add({
    method: 'get', path: '/me/notifications', tag: 'notify', access: 'member',
    summary: 'In-app notices (e.g. an invitation to the next cohort), newest first',
    response: z.object({
      items: z.array(z.object({
        id: z.number().int(), kind: z.string(), page: z.string(), data: z.record(z.string(), z.string()),
        unread: z.boolean(), createdAt: z.string(),
      })),
    }),
    handler: ({ principal }) => notify.inbox(principal.memberId),
  });
  api.add({
    method: 'post', path: '/me/notifications/:id/read', tag: 'notify', access: 'member', params: z.object({ id: idParam }),
    summary: 'Mark one of my in-app notices read', body: z.strictObject({}),
    response: z.object({ id: z.number().int(), unread: z.literal(false) }), errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => notify.markRead(principal.memberId, params.id),
  });
}
