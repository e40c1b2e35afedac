import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import {
  certificateSchema, checkinBodySchema, checkinDtoSchema, checkinResultSchema, feedQuerySchema, groupProofSchema, groupShareResultSchema, progressSchema,
} from './checkin.dto';
import type { CheckinService } from './checkin.service';

const cohortParams = z.object({ id: idParam });

export function registerCheckinRoutes(api: ApiRouter, checkins: CheckinService): void {
  api.add({
    method: 'post', path: '/cohorts/:id/checkins', tag: 'checkins', access: 'member', params: cohortParams, status: 201,
    summary: 'Check in for today (or make up a missed day) with what the cohort takes (text, photos, a recording); a valid group proof doubles the points',
    body: checkinBodySchema, response: checkinResultSchema,
    errors: {
      400: 'VALIDATION_FAILED (nothing the cohort takes, or a kind it does not take), AUDIO_TOO_LONG, CONTENT_REJECTED',
      403: 'NOT_ENROLLED',
      404: 'NOT_FOUND',
      409: 'CHECKIN_ALREADY_DONE, COHORT_NOT_RUNNING, MAKEUP_LIMIT_REACHED or INSUFFICIENT_POINTS',
      503: 'CONTENT_CHECK_UNAVAILABLE',
    },
    rateLimit: 'contentWrite',
    handler: ({ principal, params, body }) => checkins.checkIn(principal.memberId, params.id, body),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/checkins', tag: 'checkins', access: 'member', params: cohortParams, query: feedQuerySchema,
    summary: 'The cohort\'s feed: featured check-ins first (newest first), then the rest newest first', response: z.object({ items: z.array(checkinDtoSchema), nextCursor: z.string().nullable() }),
    errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND' },
    handler: ({ principal, params, query }) => checkins.feed(principal, params.id, { limit: query.limit, before: query.before }),
  });
  api.add({
    method: 'get', path: '/checkins/:id', tag: 'checkins', access: 'member', params: cohortParams,
    summary: 'One check-in with its review (its author, the cohort\'s members, teachers and operators)',
    response: checkinDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => checkins.one(principal, params.id),
  });
  api.add({
    method: 'post', path: '/checkins/:id/group-share', tag: 'checkins', access: 'member', params: cohortParams,
    summary: "My check-in's card, shared into the cohort's group and opened there (wx.getShareInfo's proof), earns the group bonus: once, the same day, never for a make-up",
    body: groupProofSchema, response: groupShareResultSchema,
    errors: {
      400: 'GROUP_PROOF_INVALID or GROUP_MISMATCH',
      403: 'NOT_ENROLLED',
      404: 'NOT_FOUND (no such check-in of mine)',
      409: 'GROUP_BONUS_ALREADY_EARNED, GROUP_SHARE_TOO_LATE, GROUP_SHARE_MAKE_UP, GROUP_BONUS_OFF or COHORT_NOT_RUNNING',
    },
    handler: ({ principal, params, body }) => checkins.claimGroupShare(principal.memberId, params.id, body),
  });
  api.add({
    method: 'get', path: '/me/cohorts/:id/certificate', tag: 'checkins', access: 'member', params: cohortParams,
    summary: 'My completion certificate for a cohort: name, cohort, days, points',
    response: certificateSchema, errors: { 403: 'NOT_ENROLLED', 404: 'NOT_FOUND', 409: 'NOT_COMPLETED' },
    handler: ({ principal, params }) => checkins.certificate(principal.memberId, params.id),
  });
  api.add({
    method: 'get', path: '/me/cohorts/:id/progress', tag: 'checkins', access: 'member', params: cohortParams,
    summary: 'My calendar for a cohort: done, made-up, missed, today, upcoming; streak; make-ups left',
    response: progressSchema, errors: { 403: 'NOT_ENROLLED', 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => checkins.progress(principal.memberId, params.id),
  });
}
