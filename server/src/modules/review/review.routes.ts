import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { reviewBodySchema, reviewDtoSchema, reviewEditSchema, reviewQueueSchema } from './review.dto';
import type { ReviewService } from './review.service';

const idParams = z.object({ id: idParam });
const templateSchema = z.object({ id: z.number().int(), text: z.string() }).openapi('ReviewTemplate');

export function registerReviewRoutes(api: ApiRouter, reviews: ReviewService): void {
  api.add({
    method: 'get', path: '/teacher/review-queue', tag: 'reviews', access: ['teacher'],
    summary: 'Unreviewed check-ins of my cohorts, oldest first, with today\'s counts',
    query: z.strictObject({
      cohortId: idParam.optional(),
      day: z.string().regex(/^\d{1,2}$/, 'must be a day number').transform(Number).optional(),
      limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(50)).optional(),
      after: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a cursor from nextCursor').transform(Number).optional(),
    }),
    response: reviewQueueSchema,
    handler: ({ principal, query }) =>
      reviews.queue(principal.memberId, { cohortId: query.cohortId, dayIndex: query.day, limit: query.limit ?? 20, after: query.after }),
  });
  api.add({
    method: 'post', path: '/checkins/:id/reviews', tag: 'reviews', access: ['teacher'], params: idParams, status: 201,
    summary: 'Review a check-in of one of my cohorts (one review per check-in; the member is notified)',
    body: reviewBodySchema, response: reviewDtoSchema,
    errors: { 403: 'FORBIDDEN (not a teacher of this cohort) or CANNOT_REVIEW_OWN_CHECKIN', 404: 'NOT_FOUND', 409: 'REVIEW_ALREADY_EXISTS' },
    rateLimit: 'staffWrite',
    handler: ({ principal, params, body }) => reviews.review(principal, params.id, body),
  });
  api.add({
    method: 'put', path: '/reviews/:id', tag: 'reviews', access: ['teacher'], params: idParams,
    summary: 'Edit my review (only the fields sent change)', body: reviewEditSchema, response: reviewDtoSchema,
    errors: { 403: 'FORBIDDEN (not the author)', 404: 'NOT_FOUND' },
    rateLimit: 'staffWrite',
    handler: ({ principal, params, body }) => reviews.edit(principal, params.id, body),
  });
  api.add({
    method: 'post', path: '/checkins/:id/feature', tag: 'reviews', access: 'member', params: idParams,
    summary: 'Feature (or unfeature) a check-in in the cohort feed (the cohort\'s teachers and operators)',
    body: z.strictObject({ featured: z.boolean() }),
    response: z.object({ checkinId: z.number().int(), featured: z.boolean() }),
    errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => reviews.feature(principal, params.id, body.featured),
  });
  api.add({
    method: 'get', path: '/teacher/templates', tag: 'reviews', access: ['teacher'],
    summary: 'My quick replies', response: z.object({ items: z.array(templateSchema) }),
    handler: ({ principal }) => reviews.templates(principal.memberId),
  });
  api.add({
    method: 'post', path: '/teacher/templates', tag: 'reviews', access: ['teacher'], status: 201,
    summary: 'Add a quick reply', body: z.strictObject({ text: z.string().trim().min(1).max(500) }), response: templateSchema,
    errors: { 409: 'TEMPLATE_LIMIT_REACHED' },
    handler: ({ principal, body }) => reviews.addTemplate(principal.memberId, body.text),
  });
  api.add({
    method: 'delete', path: '/teacher/templates/:id', tag: 'reviews', access: ['teacher'], params: idParams,
    summary: 'Delete one of my quick replies', response: z.object({ deleted: z.literal(true) }), errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => reviews.deleteTemplate(principal.memberId, params.id),
  });
}
