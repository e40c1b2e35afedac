import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { checkinDtoSchema } from '../checkin/checkin.dto';
import type { ModerationService } from './moderation.service';

const reasonSchema = z.string().trim().min(1, 'say why').max(200);
const decisionSchema = z.object({ checkinId: z.number().int(), moderation: z.enum(['released', 'rejected']), reason: z.string().nullable() });
const removalSchema = z.object({ cohortId: z.number().int(), memberId: z.number().int(), removedAt: z.string().nullable() });
const memberParams = z.object({ id: idParam, memberId: idParam });

export function registerModerationRoutes(api: ApiRouter, moderation: ModerationService): void {
  api.add({
    method: 'get', path: '/moderation/held', tag: 'moderation', access: ['teacher', 'operator'],
    summary: 'Check-ins held by the content check in the cohorts I staff, oldest first',
    query: z.strictObject({
      cohortId: idParam.optional(),
      limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(50)).optional()
        .openapi({ type: 'integer', description: '1..50, default 20' }),
      after: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a cursor from nextCursor').transform(Number).optional()
        .openapi({ type: 'string', description: 'nextCursor of the previous page' }),
    }),
    response: z.object({ items: z.array(checkinDtoSchema.extend({ cohortTitle: z.string() })), nextCursor: z.string().nullable() }),
    handler: ({ principal, query }) => moderation.held(principal, { cohortId: query.cohortId, limit: query.limit ?? 20, after: query.after }),
  });
  api.add({
    method: 'post', path: '/moderation/checkins/:id/release', tag: 'moderation', access: ['teacher', 'operator'], params: z.object({ id: idParam }),
    summary: 'Release a held check-in into the feed (audited; the author is told)', body: z.strictObject({}), response: decisionSchema,
    errors: { 404: 'NOT_FOUND', 409: 'NOT_HELD' },
    handler: ({ principal, params }) => moderation.release(principal, params.id),
  });
  api.add({
    method: 'post', path: '/moderation/checkins/:id/reject', tag: 'moderation', access: ['teacher', 'operator'], params: z.object({ id: idParam }),
    summary: 'Reject a held check-in with a reason (audited; the author is told why; points stay)',
    body: z.strictObject({ reason: reasonSchema }), response: decisionSchema,
    errors: { 404: 'NOT_FOUND', 409: 'NOT_HELD' },
    handler: ({ principal, params, body }) => moderation.reject(principal, params.id, body.reason),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/members/:memberId/removal', tag: 'moderation', access: ['teacher', 'operator'], params: memberParams,
    status: 201, summary: 'Remove a member from the cohort: no more check-ins, points kept (audited)',
    body: z.strictObject({ reason: reasonSchema }), response: removalSchema,
    errors: { 404: 'NOT_FOUND', 409: 'ALREADY_REMOVED' },
    handler: ({ principal, params, body }) => moderation.removeMember(principal, params.id, params.memberId, body.reason),
  });
  api.add({
    method: 'delete', path: '/cohorts/:id/members/:memberId/removal', tag: 'moderation', access: ['teacher', 'operator'], params: memberParams,
    summary: 'Undo a removal (audited)', response: removalSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => moderation.reinstateMember(principal, params.id, params.memberId),
  });
}
