import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import type { PointsService } from './points.service';

const entrySchema = z
  .object({
    id: z.number().int(),
    delta: z.number().int(),
    reason: z.string(),
    refType: z.string().nullable(),
    refId: z.number().int().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('PointsEntry');

export function registerPointsRoutes(api: ApiRouter, points: PointsService): void {
  api.add({
    method: 'get', path: '/me/points', tag: 'points', access: 'member', query: pageQuerySchema,
    summary: 'My balance and ledger, newest first',
    response: z.object({ balance: z.number().int(), entries: z.array(entrySchema), nextCursor: z.string().nullable() }),
    handler: ({ principal, query }) => points.myPoints(principal.memberId, { limit: query.limit, before: query.before }),
  });
  api.add({
    method: 'post', path: '/admin/members/:id/points', tag: 'points', access: ['operator'], params: z.object({ id: idParam }),
    summary: 'Adjust a member\'s points with a reason (audited in the ledger; requestId makes retries safe)',
    body: z.strictObject({
      delta: z.number().int().min(-100000).max(100000).refine((d) => d !== 0, 'must not be 0'),
      note: z.string().trim().min(1, 'say why').max(200),
      requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -'),
    }),
    response: z.object({ balance: z.number().int(), entry: entrySchema }),
    errors: { 404: 'NOT_FOUND', 409: 'INSUFFICIENT_POINTS or REQUEST_ID_REUSED' },
    handler: ({ principal, params, body }) => points.adjust(principal.memberId, params.id, body),
  });
}
