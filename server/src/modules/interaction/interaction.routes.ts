import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import { commentBodySchema, commentDtoSchema, commentPageSchema, likeStateSchema } from './interaction.dto';
import type { CommentsService } from './comments.service';
import type { LikesService } from './likes.service';

const idParams = z.object({ id: idParam });

export function registerInteractionRoutes(api: ApiRouter, likes: LikesService, comments: CommentsService): void {
  api.add({
    method: 'put', path: '/checkins/:id/like', tag: 'interaction', access: 'member', params: idParams,
    summary: 'Like a check-in of my cohort (idempotent: once per member); its author is told, likes gathered into one notice',
    response: likeStateSchema, errors: { 403: 'OWN_CHECKIN', 404: 'NOT_FOUND (no such check-in, or not mine to see)' }, rateLimit: 'like',
    handler: ({ principal, params }) => likes.like(principal, params.id),
  });
  api.add({
    method: 'delete', path: '/checkins/:id/like', tag: 'interaction', access: 'member', params: idParams,
    summary: 'Take my like back (idempotent)', response: likeStateSchema, errors: { 404: 'NOT_FOUND' }, rateLimit: 'like',
    handler: ({ principal, params }) => likes.unlike(principal, params.id),
  });
  api.add({
    method: 'get', path: '/checkins/:id/comments', tag: 'interaction', access: 'member', params: idParams, query: pageQuerySchema,
    summary: 'Comments under a check-in, newest first (held ones only for their author and staff)',
    response: commentPageSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, query }) => comments.list(principal, params.id, { limit: query.limit, before: query.before }),
  });
  api.add({
    method: 'post', path: '/checkins/:id/comments', tag: 'interaction', access: 'member', params: idParams, status: 201,
    // Each comment is a call to WeChat's content check, on the app's shared quota.
    rateLimit: 'contentWrite',
    summary: 'Comment on a check-in (members of its cohort and staff); content-checked, its author is told',
    body: commentBodySchema, response: commentDtoSchema,
    errors: {
      400: 'VALIDATION_FAILED or CONTENT_REJECTED',
      404: 'NOT_FOUND (no such check-in, or not mine to see)',
      429: 'RATE_LIMITED',
      503: 'CONTENT_CHECK_UNAVAILABLE',
    },
    handler: ({ principal, params, body }) => comments.add(principal, params.id, body.text),
  });
  api.add({
    method: 'delete', path: '/comments/:id', tag: 'interaction', access: 'member', params: idParams,
    summary: 'Delete a comment (its author, a teacher of the cohort or an operator)',
    response: z.object({ deleted: z.literal(true) }), errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => comments.remove(principal, params.id),
  });
}
