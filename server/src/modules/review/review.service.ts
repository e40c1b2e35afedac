import { In, IsNull, type DataSource } from 'typeorm';
import { startOfBusinessDate } from '../../platform/clock/business-date';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { rejectRiskyText, type ContentCheck } from '../../platform/wechat/content-check';
import { Checkin } from '../checkin/checkin.entity';
import { toCheckinDto } from '../checkin/checkin.service';
import { Cohort, CohortTeacher } from '../cohort/cohort.entity';
import type { CohortService } from '../cohort/cohort.service';
import { defaultNickname } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import type { NotifyService } from '../notify/notify.service';
import { uploadUrlFor } from '../upload/upload-keys';
import type { CheckedUploads, UploadService } from '../upload/upload.service';
import { Review, ReviewTemplate } from './review.entity';
import type { ReviewDto } from './review.dto';

/** A subscription message's thing field cannot be empty: what a voice-only review says there. */
const VOICE_REVIEW_SUMMARY = '老师给你发了一条语音点评';

export interface ReviewInput {
  text: string;
  audioUrl?: string | null;
  /** Shown next to the voice note; the upload itself already refused anything over 60 s. */
  audioSeconds?: number | null;
}

export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly contentCheck: ContentCheck,
    private readonly notify: NotifyService,
    private readonly uploads: UploadService,
    private readonly timeZone: string,
  ) {}

  /**
   * Unreviewed check-ins of the caller's cohorts, oldest first (so nobody waits longest), with
   * today's counts. Reads the (cohort_id, reviewed_at, id) index. A teacher who also checks in
   * does not see their own check-ins (another teacher of the cohort reviews them).
   */
  async queue(teacherId: number, filter: { cohortId?: number; dayIndex?: number; limit: number; after?: number }) {
    const cohortIds = (await this.dataSource.manager.findBy(CohortTeacher, { memberId: teacherId }))
      .map((row) => row.cohortId)
      .filter((id) => filter.cohortId === undefined || id === filter.cohortId);
    const startOfToday = startOfBusinessDate(this.cohorts.today(), this.timeZone);
    if (cohortIds.length === 0) return { items: [], nextCursor: null, counts: { pendingToday: 0, pendingTotal: 0, doneToday: 0 } };

    const query = this.dataSource.manager
      .createQueryBuilder(Checkin, 'c')
      .where("c.cohort_id IN (:...cohortIds) AND c.reviewed_at IS NULL AND c.member_id <> :teacherId AND c.moderation <> 'rejected'", { cohortIds, teacherId })
      .orderBy('c.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.dayIndex !== undefined) query.andWhere('c.day_index = :dayIndex', { dayIndex: filter.dayIndex });
    if (filter.after) query.andWhere('c.id > :after', { after: filter.after });
    const rows = await query.getMany();
    const hasMore = rows.length > filter.limit;
    const items = rows.slice(0, filter.limit);

    // Each count is a range on the (cohort_id, reviewed_at, created_at) index, read from the index
    // alone; the teacher's own check-ins (a handful, found by the (cohort_id, member_id, day_index)
    // index) are subtracted rather than filtered, which would make every counted row a table read.
    const count = (where: string, onlyTheTeachers = false) =>
      this.dataSource.manager
        .createQueryBuilder(Checkin, 'c')
        .where(`c.cohort_id IN (:...cohortIds) AND ${onlyTheTeachers ? 'c.member_id = :teacherId AND ' : ''}${where}`, { cohortIds, teacherId, start: startOfToday })
        .getCount();
    const countOthers = async (where: string) => {
      const [all, own] = await Promise.all([count(where), count(where, true)]);
      return all - own;
    };
    const [authors, cohorts, pendingToday, pendingTotal, doneToday] = await Promise.all([
      items.length ? this.dataSource.manager.findBy(Member, { id: In([...new Set(items.map((c) => c.memberId))]) }) : [],
      this.dataSource.manager.findBy(Cohort, { id: In(cohortIds) }),
      countOthers('c.reviewed_at IS NULL AND c.created_at >= :start'),
      countOthers('c.reviewed_at IS NULL'),
      countOthers('c.reviewed_at >= :start'),
    ]);
    return {
      items: items.map((c) => ({
        ...toCheckinDto(c, authors.find((a) => a.id === c.memberId)!),
        cohortTitle: cohorts.find((cohort) => cohort.id === c.cohortId)?.title ?? '',
      })),
      nextCursor: hasMore ? String(items[items.length - 1].id) : null,
      counts: { pendingToday, pendingTotal, doneToday },
    };
  }

  /** A teacher of the check-in's cohort reviews it, once; the member is notified. Nobody reviews their own. */
  async review(principal: Principal, checkinId: number, input: ReviewInput): Promise<ReviewDto> {
    const checkin = await this.dataSource.manager.findOneBy(Checkin, { id: checkinId });
    if (!checkin) throw notFound('Check-in');
    if (!(await this.cohorts.isTeacherOf(checkin.cohortId, principal))) {
      throw forbidden('Only a teacher of this cohort may review its check-ins.');
    }
    if (checkin.memberId === principal.memberId) {
      throw new AppError(403, 'CANNOT_REVIEW_OWN_CHECKIN', 'You cannot review your own check-in; another teacher of the cohort will.');
    }
    const audio = await this.audioOf(principal.memberId, input, null);
    await this.checkText(principal.memberId, input.text);
    const now = this.clock.now();
    let reviewId: number;
    try {
      reviewId = await withTransaction(this.dataSource, async (manager) => {
        const reviewLatencySeconds = Math.max(0, Math.round((now.getTime() - checkin.createdAt.getTime()) / 1000));
        const first = await manager.update(Checkin, { id: checkinId, reviewedAt: IsNull() }, { reviewedAt: now, reviewLatencySeconds });
        // The review carries the latency its check-in holds: the one counted at the check-in's first
        // review, which a review erased with its author's content leaves in place.
        const latencySeconds = first.affected === 1
          ? reviewLatencySeconds
          : (await manager.findOneOrFail(Checkin, { select: { id: true, reviewLatencySeconds: true }, where: { id: checkinId } })).reviewLatencySeconds;
        const inserted = await manager.insert(Review, {
          checkinId, cohortId: checkin.cohortId, teacherId: principal.memberId, latencySeconds, text: input.text, ...audio.columns, createdAt: now, updatedAt: now,
        });
        const id = Number(inserted.identifiers[0].id);
        await this.uploads.attach(manager, { type: 'review', id }, audio.uploads);
        return id;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.dataSource.manager.findOneByOrFail(Review, { checkinId });
      throw conflict('REVIEW_ALREADY_EXISTS', 'This check-in already has a review; edit it instead.', { reviewId: existing.id });
    }
    const cohort = await this.dataSource.manager.findOneByOrFail(Cohort, { id: checkin.cohortId });
    const teacher = await this.dataSource.manager.findOneByOrFail(Member, { id: principal.memberId });
    await this.notify.notify({
      memberId: checkin.memberId,
      template: 'review',
      dedupeKey: `review:${checkinId}`,
      page: `pages/cohort/progress?id=${checkin.cohortId}`,
      data: { thing1: cohort.title, thing2: input.text || VOICE_REVIEW_SUMMARY, name3: teacher.nickname ?? defaultNickname(teacher.id) },
    });
    return this.dto(reviewId);
  }

  /** Only the review's author may edit it. */
  async edit(principal: Principal, reviewId: number, input: Partial<ReviewInput>): Promise<ReviewDto> {
    const review = await this.dataSource.manager.findOneBy(Review, { id: reviewId });
    if (!review) throw notFound('Review');
    if (review.teacherId !== principal.memberId) throw forbidden('Only the teacher who wrote this review may edit it.');
    const audio = input.audioUrl === undefined ? null : await this.audioOf(principal.memberId, input, review.audioKey);
    if (input.text !== undefined) await this.checkText(principal.memberId, input.text);
    const text = input.text ?? review.text;
    const audioKey = audio ? audio.columns.audioKey : review.audioKey;
    if (!text && !audioKey) throw validationFailed('A review needs a comment or a voice note: write one, or keep the recording.', { field: 'body.text' });
    const changes: Partial<Review> = { updatedAt: this.clock.now() };
    if (input.text !== undefined) changes.text = input.text;
    if (audio) Object.assign(changes, audio.columns);
    await withTransaction(this.dataSource, async (manager) => {
      await manager.update(Review, { id: reviewId }, changes);
      if (audio) await this.uploads.attach(manager, { type: 'review', id: reviewId }, audio.uploads, { replace: true });
    });
    return this.dto(reviewId);
  }

  /** Teachers of the cohort and operators mark a check-in as an example for everyone. */
  async feature(principal: Principal, checkinId: number, featured: boolean) {
    const checkin = await this.dataSource.manager.findOneBy(Checkin, { id: checkinId });
    if (!checkin) throw notFound('Check-in');
    await this.cohorts.assertOperatorOrTeacher(principal, checkin.cohortId);
    await withTransaction(this.dataSource, (manager) => manager.update(Checkin, { id: checkinId }, { featured }));
    return { checkinId, featured };
  }

  async templates(teacherId: number) {
    const rows = await this.dataSource.manager.find(ReviewTemplate, { where: { teacherId }, order: { id: 'ASC' } });
    return { items: rows.map((row) => ({ id: row.id, text: row.text })) };
  }

  async addTemplate(teacherId: number, text: string) {
    const count = await this.dataSource.manager.countBy(ReviewTemplate, { teacherId });
    if (count >= 50) throw conflict('TEMPLATE_LIMIT_REACHED', 'You have 50 quick replies; delete one first.');
    const inserted = await withTransaction(this.dataSource, (manager) =>
      manager.insert(ReviewTemplate, { teacherId, text, createdAt: this.clock.now() }),
    );
    return { id: Number(inserted.identifiers[0].id), text };
  }

  async deleteTemplate(teacherId: number, templateId: number) {
    const deleted = await withTransaction(this.dataSource, (manager) => manager.delete(ReviewTemplate, { id: templateId, teacherId }));
    if (!deleted.affected) throw notFound('Quick reply');
    return { deleted: true as const };
  }

  /** Reviews of the given check-ins, by check-in id (for the feed and progress pages). */
  async reviewsOf(checkinIds: number[]): Promise<Map<number, ReviewDto>> {
    if (checkinIds.length === 0) return new Map();
    const reviews = await this.dataSource.manager.findBy(Review, { checkinId: In(checkinIds) });
    const teachers = reviews.length ? await this.dataSource.manager.findBy(Member, { id: In([...new Set(reviews.map((r) => r.teacherId))]) }) : [];
    return new Map(reviews.map((review) => [review.checkinId, toReviewDto(review, teachers.find((t) => t.id === review.teacherId)!)]));
  }

  private async dto(reviewId: number): Promise<ReviewDto> {
    const review = await this.dataSource.manager.findOneByOrFail(Review, { id: reviewId });
    const teacher = await this.dataSource.manager.findOneByOrFail(Member, { id: review.teacherId });
    return toReviewDto(review, teacher);
  }

  /**
   * The voice note of a review: one the teacher uploaded (or the one the review already has), with
   * the duration the server measured at upload (the client's figure only for older files).
   */
  private async audioOf(teacherId: number, input: Partial<ReviewInput>, currentKey: string | null): Promise<{ columns: Pick<Review, 'audioKey' | 'audioSeconds'>; uploads: CheckedUploads }> {
    const checked = await this.uploads.check(this.dataSource.manager, {
      ownerId: teacherId, kind: 'audio', urls: input.audioUrl ? [input.audioUrl] : [], field: 'body.audioUrl', single: true,
      keep: currentKey ? [currentKey] : [],
    });
    const audioKey = checked.keys[0] ?? null;
    const measured = audioKey ? checked.durations.get(audioKey) : null;
    return { columns: { audioKey, audioSeconds: audioKey ? (measured ?? input.audioSeconds ?? null) : null }, uploads: checked };
  }

  private async checkText(teacherId: number, text: string): Promise<void> {
    if (!text) return;
    const teacher = await this.dataSource.manager.findOneByOrFail(Member, { id: teacherId });
    rejectRiskyText((await this.contentCheck.checkText({ text, openid: teacher.openid })).verdict);
  }
}

function toReviewDto(review: Review, teacher: Member): ReviewDto {
  return {
    id: review.id,
    checkinId: review.checkinId,
    teacher: { id: teacher.id, nickname: teacher.nickname ?? defaultNickname(teacher.id) },
    text: review.text,
    audioUrl: review.audioKey ? uploadUrlFor(review.audioKey) : null,
    audioSeconds: review.audioSeconds,
    createdAt: review.createdAt.toISOString(),
    updatedAt: review.updatedAt.toISOString(),
  };
}
