import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/business-date';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { announcementSlots, announcementStates } from './announcement-rules';
import type { AnnouncementService } from './announcement.service';

const tag = 'announcements';
const cohortParams = z.object({ id: idParam });
const oneParams = z.object({ id: idParam, announcementId: idParam });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isCalendarDate, 'must be a real date');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm');
const title = z.string().trim().min(1).max(40);
const body = z.string().trim().max(2000);

const announcementSchema = z
  .object({
    id: z.number().int(), cohortId: z.number().int(), slot: z.enum(announcementSlots), title: z.string(), body: z.string(),
    scheduledAt: z.string(), date: z.string().openapi({ description: 'Business date it goes out' }), time: z.string().openapi({ description: 'HH:mm, business time zone' }),
    state: z.enum(announcementStates), publishedAt: z.string().nullable(),
    recipients: z.number().int().nullable().openapi({ description: 'Active members when it went out' }),
    messagesSent: z.number().int().nullable().openapi({ description: 'Subscription messages WeChat accepted (members with a reminder send banked)' }),
  })
  .openapi('Announcement');

export function registerAnnouncementRoutes(api: ApiRouter, announcements: AnnouncementService): void {
  api.add({
    method: 'get', path: '/cohorts/:id/announcements', tag, access: ['operator', 'teacher'], params: cohortParams,
    summary: "The cohort's timetable of announcements (operators and its teachers), with what went out and to how many",
    response: z.object({ items: z.array(announcementSchema) }), errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => announcements.list(principal, params.id),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/announcements', tag, access: ['operator', 'teacher'], params: cohortParams, status: 201,
    summary: 'Plan an announcement for one or more days at a local time (slots: 早安 08:00, 干货 11:00, 互动 13-16, 总结 17-18)',
    body: z.strictObject({
      slot: z.enum(announcementSlots),
      title,
      body: body.default(''),
      dates: z.array(date).min(1).max(31),
      time,
    }),
    response: z.object({ items: z.array(announcementSchema) }), errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND' },
    rateLimit: 'staffWrite',
    handler: async ({ principal, params, body: input }) => ({ items: await announcements.plan(principal, params.id, input) }),
  });
  api.add({
    method: 'put', path: '/cohorts/:id/announcements/:announcementId', tag, access: ['operator', 'teacher'], params: oneParams,
    summary: 'Edit a future announcement (409 ANNOUNCEMENT_NOT_CHANGEABLE once it has gone out or was cancelled)',
    body: z.strictObject({ slot: z.enum(announcementSlots).optional(), title: title.optional(), body: body.optional(), date: date.optional(), time: time.optional() }),
    response: announcementSchema, errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'ANNOUNCEMENT_NOT_CHANGEABLE' },
    handler: ({ principal, params, body: input }) => announcements.edit(principal, params.id, params.announcementId, input),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/announcements/:announcementId/cancel', tag, access: ['operator', 'teacher'], params: oneParams,
    summary: 'Cancel a future announcement (again: no change)', body: z.strictObject({}),
    response: announcementSchema, errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'ANNOUNCEMENT_NOT_CHANGEABLE' },
    handler: ({ principal, params }) => announcements.cancel(principal, params.id, params.announcementId),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/today/announcements', tag, access: 'member', params: cohortParams,
    summary: "Today's announcements that have gone out, newest first (the cohort page and the top of the feed)",
    response: z.object({ items: z.array(z.object({ id: z.number().int(), slot: z.enum(announcementSlots), title: z.string(), body: z.string(), publishedAt: z.string() }).openapi('PublishedAnnouncement')) }),
    errors: { 403: 'FORBIDDEN (not a member of this cohort)', 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => announcements.today(principal, params.id),
  });
}
