import { In, type DataSource } from 'typeorm';
import { commentNoticeKey } from './notice-keys';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { forbidden, notFound } from '../../platform/http/errors';
import { rejectRiskyText, type ContentCheck } from '../../platform/wechat/content-check';
import type { Checkin } from '../checkin/checkin.entity';
import type { CheckinService } from '../checkin/checkin.service';
import { CohortTeacher } from '../cohort/cohort.entity';
import { toPublicMember } from '../identity/member.dto';
import { Member } from '../identity/member.entity';
import { removeInAppNotice, writeInAppNotice } from '../notify/notify.service';
import type { CommentDto } from './interaction.dto';
import { CheckinComment } from './interaction.entities';
import { lockCheckin, moveCount } from './checkin-counters';
import { checkinPage } from './notice-pages';

/** How much of a comment its notice quotes. */
const NOTICE_QUOTE_LENGTH = 60;

export class CommentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly checkins: CheckinService,
    private readonly contentCheck: ContentCheck,
  ) {}

  /** Comments under a check-in the caller can see, newest first; held ones only for their author and staff. */
  async list(principal: Principal, checkinId: number, page: { limit: number; before?: number }) {
    const { checkin, staff } = await this.checkins.visibleCheckin(principal, checkinId);
    const query = this.dataSource.manager
      .createQueryBuilder(CheckinComment, 'k')
      .where('k.checkin_id = :checkinId', { checkinId })
      .orderBy('k.id', 'DESC')
      .take(page.limit + 1);
    if (page.before) query.andWhere('k.id < :before', { before: page.before });
    if (!staff) query.andWhere("(k.moderation = 'pass' OR k.member_id = :viewerId)", { viewerId: principal.memberId });
    const rows = await query.getMany();
    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    return {
      items: await this.toDtos(items, checkin, principal.memberId, staff),
      nextCursor: hasMore ? String(items[items.length - 1].id) : null,
    };
  }

  /**
   * A comment by a member of the check-in's cohort or by staff, through the content check: risky
   * text is refused, doubtful text is held (shown to its author and staff only, not counted, no
   * notice). The comment, the count and the author's notice are one transaction.
   */
  async add(principal: Principal, checkinId: number, text: string): Promise<CommentDto> {
    const { checkin, staff } = await this.checkins.visibleCheckin(principal, checkinId);
    const commenter = await this.dataSource.manager.findOneByOrFail(Member, { id: principal.memberId });
    const moderation = rejectRiskyText((await this.contentCheck.checkText({ text, openid: commenter.openid })).verdict);
    const comment = await withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      await lockCheckin(manager, checkinId);
      const fields = { checkinId, cohortId: checkin.cohortId, memberId: principal.memberId, text, moderation, createdAt: now };
      const inserted = await manager.insert(CheckinComment, fields);
      const row = Object.assign(new CheckinComment(), { id: Number(inserted.identifiers[0].id), ...fields });
      if (moderation === 'pass') {
        await moveCount(manager, checkinId, 'comment_count', 1);
        if (checkin.memberId !== principal.memberId) {
          await writeInAppNotice(manager, {
            memberId: checkin.memberId,
            kind: 'comment',
            dedupeKey: commentNoticeKey(row.id),
            page: checkinPage(checkinId),
            data: { from: toPublicMember(commenter).nickname, text: quote(text), date: checkin.businessDate },
          }, now);
        }
      }
      return row;
    });
    const [dto] = await this.toDtos([comment], checkin, principal.memberId, staff);
    return dto;
  }

  /** Its author, and the cohort's staff, may delete a comment; it is gone for good, with its notice. */
  async remove(principal: Principal, commentId: number): Promise<{ deleted: true }> {
    const comment = await this.dataSource.manager.findOneBy(CheckinComment, { id: commentId });
    if (!comment) throw notFound('Comment');
    const { staff } = await this.checkins.visibleCheckin(principal, comment.checkinId);
    if (comment.memberId !== principal.memberId && !staff) throw forbidden('Only its author, a teacher of this cohort or an operator may delete this comment.');
    await withTransaction(this.dataSource, async (manager) => {
      await lockCheckin(manager, comment.checkinId);
      const removed = await manager.delete(CheckinComment, { id: commentId });
      if (removed.affected !== 1) return; // deleted meanwhile by someone else: nothing more to undo
      if (comment.moderation === 'pass') await moveCount(manager, comment.checkinId, 'comment_count', -1);
      await removeInAppNotice(manager, commentNoticeKey(commentId));
    });
    return { deleted: true };
  }

  private async toDtos(comments: CheckinComment[], checkin: Checkin, viewerId: number, staff: boolean): Promise<CommentDto[]> {
    if (comments.length === 0) return [];
    const authorIds = [...new Set(comments.map((k) => k.memberId))];
    const [authors, teachers] = await Promise.all([
      this.dataSource.manager.findBy(Member, { id: In(authorIds) }),
      this.dataSource.manager.findBy(CohortTeacher, { cohortId: checkin.cohortId, memberId: In(authorIds) }),
    ]);
    return comments.map((k) => ({
      id: k.id,
      checkinId: k.checkinId,
      text: k.text,
      author: toPublicMember(authors.find((a) => a.id === k.memberId)!),
      byTeacher: teachers.some((t) => t.memberId === k.memberId),
      heldForReview: k.moderation === 'review',
      canDelete: staff || k.memberId === viewerId,
      createdAt: k.createdAt.toISOString(),
    }));
  }
}

function quote(text: string): string {
  const chars = Array.from(text);
  return chars.length <= NOTICE_QUOTE_LENGTH ? text : `${chars.slice(0, NOTICE_QUOTE_LENGTH).join('')}…`;
}
