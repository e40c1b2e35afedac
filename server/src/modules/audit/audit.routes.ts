import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { AuditEntry } from './audit.entity';

const personSchema = z.object({ id: z.number().int(), nickname: z.string() });

/** The audit log, newest first, for operators: every staff action with who and when. */
export function registerAuditRoutes(api: ApiRouter, dataSource: DataSource): void {
  api.add({
    method: 'get', path: '/admin/audit', tag: 'audit', access: ['operator'],
    summary: 'Staff actions, newest first (filter by cohort or by the member acted upon)',
    query: pageQuerySchema.extend({ cohortId: idParam.optional(), memberId: idParam.optional() }),
    response: z.object({
      items: z.array(z.object({
        id: z.number().int(), action: z.string(), actor: personSchema, member: personSchema.nullable(), cohortId: z.number().int().nullable(),
        target: z.object({ type: z.string(), id: z.number().int() }).nullable(),
        details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullable()).nullable(), createdAt: z.string(),
      })),
      nextCursor: z.string().nullable(),
    }),
    handler: async ({ query }) => {
      const q = dataSource.manager.createQueryBuilder(AuditEntry, 'a').orderBy('a.id', 'DESC').take(query.limit + 1);
      if (query.before) q.andWhere('a.id < :before', { before: query.before });
      if (query.cohortId) q.andWhere('a.cohort_id = :cohortId', { cohortId: query.cohortId });
      if (query.memberId) q.andWhere('a.member_id = :memberId', { memberId: query.memberId });
      const rows = await q.getMany();
      const page = rows.slice(0, query.limit);
      const ids = [...new Set(page.flatMap((a) => [a.actorId, ...(a.memberId ? [a.memberId] : [])]))];
      const people = ids.length ? await dataSource.manager.find(Member, { where: { id: In(ids) }, select: { id: true, nickname: true } }) : [];
      const person = (id: number) => ({ id, nickname: people.find((p) => p.id === id)?.nickname ?? defaultNickname(id) });
      return {
        items: page.map((a) => ({
          id: a.id, action: a.action, actor: person(a.actorId), member: a.memberId ? person(a.memberId) : null, cohortId: a.cohortId,
          target: a.targetType && a.targetId !== null ? { type: a.targetType, id: a.targetId } : null,
          details: a.details, createdAt: a.createdAt.toISOString(),
        })),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1].id) : null,
      };
    },
  });
}
