import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { followUpStates, segments } from './follow-up-rules';
import type { FollowUpService } from './follow-up.service';

const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d{1,6}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const cohortParams = z.object({ id: idParam });
const memberParams = z.object({ id: idParam, memberId: idParam });

const membersQuery = z.strictObject({
  segment: z.enum(segments).default('all').openapi({ description: 'all, active, checked-in-today, missed-today, streak (with minStreak), completed, paid (round optional), not-paid, left' }),
  minStreak: wholeNumber(1, 21).optional().openapi({ type: 'integer', description: 'segment=streak: at least this many days in a row (default 7)' }),
  round: wholeNumber(1, 3).optional().openapi({ type: 'integer', description: 'segment=paid: paid in this round' }),
  tag: idParam.optional().openapi({ description: 'members with this tag' }),
  followUp: z.enum(followUpStates).optional(),
  q: z.string().trim().min(1).max(32).optional().openapi({ description: 'nickname or member id' }),
  limit: wholeNumber(1, 100).optional().transform((v) => v ?? 50).openapi({ type: 'integer', description: '1..100, default 50' }),
  offset: wholeNumber(0, 1_000_000).optional().transform((v) => v ?? 0).openapi({ type: 'integer' }),
  format: z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ description: 'csv / xlsx: the whole filtered list as a file (limit and offset are ignored)' }),
});

const tagSchema = z.object({ id: z.number().int(), name: z.string(), color: z.string() }).openapi('Tag');
const followUpStateSchema = z.enum(followUpStates);
const personSchema = z.object({ id: z.number().int(), nickname: z.string() });

export const cohortMemberSchema = z
  .object({
    member: z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() }),
    status: z.enum(['active', 'left', 'removed']),
    joinedAt: z.string(),
    leftAt: z.string().nullable(),
    daysDone: z.number().int(),
    makeUps: z.number().int(),
    streak: z.object({ current: z.number().int(), longest: z.number().int() }),
    checkedInToday: z.boolean(),
    lastCheckinDay: z.number().int().nullable(),
    points: z.number().int().openapi({ description: 'Points earned by check-ins of this cohort' }),
    payments: z.array(z.object({ round: z.number().int(), state: z.enum(['paid', 'unpaid']), amountFen: z.number().int() })),
    tags: z.array(tagSchema),
    followUp: z.object({ state: followUpStateSchema, note: z.string().nullable(), updatedAt: z.string(), by: personSchema }).nullable(),
  })
  .openapi('CohortMember');

const followUpsSchema = z
  .object({
    state: followUpStateSchema,
    note: z.string().nullable(),
    updatedAt: z.string().nullable(),
    history: z.array(z.object({ id: z.number().int(), state: followUpStateSchema, note: z.string().nullable(), by: personSchema, createdAt: z.string() })),
  })
  .openapi('FollowUps');

export function registerFollowUpRoutes(api: ApiRouter, followUps: FollowUpService): void {
  api.add({
    method: 'get', path: '/cohorts/:id/members', tag: 'follow-up', access: ['teacher', 'operator'], params: cohortParams, query: membersQuery,
    summary: 'Members of a cohort with progress, points, payments per round, tags and follow-up, filtered by segment (operators and the cohort\'s teachers)',
    response: z.object({ items: z.array(cohortMemberSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
    alsoProduces: { 'text/csv': 'format=csv, UTF-8 with a BOM', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'format=xlsx' },
    errors: { 404: 'NOT_FOUND' },
    handler: async ({ principal, params, query, ctx }) => {
      const { format, limit, offset, tag, ...rest } = query;
      const filter = { ...rest, tagId: tag };
      if (format === 'json') return followUps.members(principal, params.id, filter, { limit, offset });
      const file = await followUps.export(principal, params.id, filter, format);
      ctx.type = file.contentType;
      ctx.attachment(file.filename);
      // The route's JSON schema documents the default format; a file answers with its stream.
      return file.stream as never;
    },
  });
  api.add({
    method: 'get', path: '/cohorts/:id/members/segments', tag: 'follow-up', access: ['teacher', 'operator'], params: cohortParams,
    summary: 'How many members each segment holds now',
    response: z.object(Object.fromEntries(segments.map((s) => [s, z.number().int()])) as Record<(typeof segments)[number], z.ZodNumber>),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => followUps.segmentCounts(principal, params.id),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/members/tags', tag: 'follow-up', access: ['teacher', 'operator'], params: cohortParams,
    summary: 'Tag or untag members of this cohort, many at once (audited)',
    body: z.strictObject({
      memberIds: z.array(z.number().int().positive()).min(1).max(1000),
      add: z.array(z.number().int().positive()).max(20).default([]),
      remove: z.array(z.number().int().positive()).max(20).default([]),
    }),
    response: z.object({ members: z.number().int(), added: z.number().int(), removed: z.number().int() }),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => followUps.bulkTag(principal, params.id, body),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/members/:memberId/follow-ups', tag: 'follow-up', access: ['teacher', 'operator'], params: memberParams,
    summary: 'A member\'s follow-up in this cohort: state, note and history (who, when)', response: followUpsSchema,
    errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => followUps.followUps(principal, params.id, params.memberId),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/members/:memberId/follow-ups', tag: 'follow-up', access: ['teacher', 'operator'], params: memberParams,
    status: 201, summary: 'Record a one-to-one follow-up (state and note); staff notes are internal, never shown to the member',
    body: z.strictObject({ state: followUpStateSchema, note: z.string().trim().max(500).nullable().optional() }),
    response: followUpsSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => followUps.recordFollowUp(principal, params.id, params.memberId, { state: body.state, note: body.note || null }),
  });
  api.add({
    method: 'get', path: '/tags', tag: 'follow-up', access: ['teacher', 'operator'],
    summary: 'The tags staff put on members', response: z.object({ items: z.array(tagSchema) }),
    handler: () => followUps.tags(),
  });
  api.add({
    method: 'post', path: '/tags', tag: 'follow-up', access: ['operator'], status: 201,
    summary: 'Define a tag',
    body: z.strictObject({
      name: z.string().trim().min(1).max(24),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #07c160').default('#1989fa'),
    }),
    response: tagSchema, errors: { 409: 'TAG_EXISTS' },
    handler: ({ principal, body }) => followUps.createTag(principal.memberId, body),
  });
  api.add({
    method: 'delete', path: '/tags/:id', tag: 'follow-up', access: ['operator'], params: z.object({ id: idParam }), status: 204,
    summary: 'Delete a tag (it comes off every member)', response: z.void(), errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => followUps.deleteTag(principal.memberId, params.id),
  });
}
