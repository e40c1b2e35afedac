import type { Readable } from 'node:stream';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { conflict, notFound, validationFailed } from '../../platform/http/errors';
import { recordAudit } from '../audit/audit';
import { Enrollment } from '../cohort/cohort.entity';
import type { CohortService } from '../cohort/cohort.service';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { cohortForStaff } from '../staff/staff-access';
import { CohortMembers, type MembersFilter } from './cohort-members';
import { FollowUp, FollowUpEvent, MemberTag, Tag } from './follow-up.entity';
import { segments, type FollowUpState, type Segment } from './follow-up-rules';
import { membersCsv, membersXlsx } from './members-export';

const EXPORT_CHUNK = 1000;

export interface MemberExport {
  stream: Readable;
  contentType: string;
  filename: string;
}

/** Staff follow-up of a cohort's members: the table, segments, tags, one-to-one follow-ups, exports. */
export class FollowUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly timeZone: string,
  ) {}

  async members(principal: Principal, cohortId: number, filter: MembersFilter, page: { limit: number; offset: number }) {
    const members = await this.membersOf(principal, cohortId);
    const [items, total] = await Promise.all([members.page(filter, page), members.count(filter)]);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** How many members each segment holds right now (for the table's tabs). */
  async segmentCounts(principal: Principal, cohortId: number) {
    const members = await this.membersOf(principal, cohortId);
    const counts = await Promise.all(segments.map((segment) => members.count({ segment })));
    return Object.fromEntries(segments.map((segment, i) => [segment, counts[i]])) as Record<Segment, number>;
  }

  /** The filtered members as CSV or XLSX, streamed in chunks; the export itself is audited. */
  async export(principal: Principal, cohortId: number, filter: MembersFilter, kind: 'csv' | 'xlsx'): Promise<MemberExport> {
    const cohort = await cohortForStaff(this.dataSource.manager, principal, cohortId);
    const members = new CohortMembers(this.dataSource.manager, cohort, this.cohorts.today());
    await withTransaction(this.dataSource, (manager) =>
      recordAudit(manager, {
        actorId: principal.memberId, action: 'members.export', cohortId,
        details: { format: kind, segment: filter.segment, tagId: filter.tagId ?? null, followUp: filter.followUp ?? null, q: filter.q ?? null },
      }, this.clock.now()),
    );
    const chunks = members.chunks(filter, EXPORT_CHUNK);
    const name = `cohort-${cohortId}-members-${filter.segment}-${this.cohorts.today()}`;
    return kind === 'csv'
      ? { stream: membersCsv(chunks, this.timeZone), contentType: 'text/csv; charset=utf-8', filename: `${name}.csv` }
      : {
          stream: membersXlsx(chunks, this.timeZone, cohort.title),
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          filename: `${name}.xlsx`,
        };
  }

  async tags() {
    const rows = await this.dataSource.manager.find(Tag, { order: { id: 'ASC' } });
    return { items: rows.map(toTagDto) };
  }

  async createTag(operatorId: number, input: { name: string; color: string }) {
    const now = this.clock.now();
    try {
      const id = await withTransaction(this.dataSource, async (manager) => {
        const inserted = await manager.insert(Tag, { name: input.name, color: input.color, createdBy: operatorId, createdAt: now });
        const tagId = Number(inserted.identifiers[0].id);
        await recordAudit(manager, { actorId: operatorId, action: 'tag.create', target: { type: 'tag', id: tagId }, details: { name: input.name } }, now);
        return tagId;
      });
      return toTagDto(await this.dataSource.manager.findOneByOrFail(Tag, { id }));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('TAG_EXISTS', `There is already a tag named "${input.name}".`);
      throw error;
    }
  }

  /** Deleting a tag takes it off every member. */
  async deleteTag(operatorId: number, tagId: number): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const tag = await manager.findOneBy(Tag, { id: tagId });
      if (!tag) throw notFound('Tag');
      await manager.delete(MemberTag, { tagId });
      await manager.delete(Tag, { id: tagId });
      await recordAudit(manager, { actorId: operatorId, action: 'tag.delete', target: { type: 'tag', id: tagId }, details: { name: tag.name } }, this.clock.now());
    });
  }

  /** Adds and removes tags on members of this cohort, all or nothing. */
  async bulkTag(principal: Principal, cohortId: number, input: { memberIds: number[]; add: number[]; remove: number[] }) {
    const memberIds = [...new Set(input.memberIds)];
    const add = [...new Set(input.add)];
    const remove = [...new Set(input.remove)].filter((id) => !add.includes(id));
    const now = this.clock.now();
    await withTransaction(this.dataSource, async (manager) => {
      await cohortForStaff(manager, principal, cohortId);
      const enrolled = await manager.findBy(Enrollment, { cohortId, memberId: In(memberIds) });
      const strangers = memberIds.filter((id) => !enrolled.some((e) => e.memberId === id));
      if (strangers.length > 0) {
        throw validationFailed(`Members ${strangers.join(', ')} are not in this cohort.`, [{ path: 'body.memberIds', message: `not in this cohort: ${strangers.join(', ')}` }]);
      }
      const tagIds = [...add, ...remove];
      const known = tagIds.length ? await manager.findBy(Tag, { id: In(tagIds) }) : [];
      const unknown = tagIds.filter((id) => !known.some((t) => t.id === id));
      if (unknown.length > 0) {
        throw validationFailed(`Tags ${unknown.join(', ')} do not exist.`, [{ path: 'body', message: `unknown tags: ${unknown.join(', ')}` }]);
      }
      if (add.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(MemberTag)
          .values(memberIds.flatMap((memberId) => add.map((tagId) => ({ memberId, tagId, taggedBy: principal.memberId, taggedAt: now }))))
          .orIgnore()
          .execute();
      }
      if (remove.length > 0) await manager.delete(MemberTag, { memberId: In(memberIds), tagId: In(remove) });
      await recordAudit(manager, {
        actorId: principal.memberId, action: 'members.tag', cohortId,
        details: { members: memberIds.join(','), added: add.join(','), removed: remove.join(',') },
      }, now);
    });
    return { members: memberIds.length, added: add.length, removed: remove.length };
  }

  /** A member's follow-up in this cohort: where it stands and every contact, newest first. */
  async followUps(principal: Principal, cohortId: number, memberId: number) {
    await cohortForStaff(this.dataSource.manager, principal, cohortId);
    await this.assertEnrolled(cohortId, memberId);
    const manager = this.dataSource.manager;
    const [current, events] = await Promise.all([
      manager.findOneBy(FollowUp, { cohortId, memberId }),
      manager.find(FollowUpEvent, { where: { cohortId, memberId }, order: { id: 'DESC' }, take: 100 }),
    ]);
    const actorIds = [...new Set(events.map((e) => e.actorId))];
    const actors = actorIds.length ? await manager.find(Member, { where: { id: In(actorIds) }, select: { id: true, nickname: true } }) : [];
    const by = (id: number) => ({ id, nickname: actors.find((a) => a.id === id)?.nickname ?? defaultNickname(id) });
    return {
      state: current?.state ?? ('not_contacted' as FollowUpState),
      note: current?.note ?? null,
      updatedAt: current?.updatedAt.toISOString() ?? null,
      history: events.map((e) => ({ id: e.id, state: e.state, note: e.note, by: by(e.actorId), createdAt: e.createdAt.toISOString() })),
    };
  }

  /** Records one contact: the history keeps it (who, when) and the member's state follows it. */
  async recordFollowUp(principal: Principal, cohortId: number, memberId: number, input: { state: FollowUpState; note?: string | null }) {
    const now = this.clock.now();
    const note = input.note ?? null;
    await withTransaction(this.dataSource, async (manager) => {
      await cohortForStaff(manager, principal, cohortId);
      if (!(await manager.existsBy(Enrollment, { cohortId, memberId }))) throw notFound('Member of this cohort');
      await manager.insert(FollowUpEvent, { cohortId, memberId, state: input.state, note, actorId: principal.memberId, createdAt: now });
      await manager
        .createQueryBuilder()
        .insert()
        .into(FollowUp)
        .values({ cohortId, memberId, state: input.state, note, updatedBy: principal.memberId, updatedAt: now })
        .orIgnore()
        .execute();
      await manager.update(FollowUp, { cohortId, memberId }, { state: input.state, note, updatedBy: principal.memberId, updatedAt: now });
    });
    return this.followUps(principal, cohortId, memberId);
  }

  private async membersOf(principal: Principal, cohortId: number): Promise<CohortMembers> {
    const cohort = await cohortForStaff(this.dataSource.manager, principal, cohortId);
    return new CohortMembers(this.dataSource.manager, cohort, this.cohorts.today());
  }

  private async assertEnrolled(cohortId: number, memberId: number): Promise<void> {
    if (!(await this.dataSource.manager.existsBy(Enrollment, { cohortId, memberId }))) throw notFound('Member of this cohort');
  }
}

function toTagDto(tag: Tag) {
  return { id: tag.id, name: tag.name, color: tag.color };
}
