import { In, type DataSource, type EntityManager } from 'typeorm';
import type { TemplateKey } from '../../config';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { withTransaction } from '../../platform/db/transaction';
import type { SubscribeMessageSender } from '../../platform/wechat/subscribe-message';
import { notFound } from '../../platform/http/errors';
import { Member } from '../identity/member.entity';
import { Notification, SubscriptionConsent } from './notify.entity';

export type ConsentResult = 'accept' | 'reject' | 'ban' | 'filter';

/** One-time templates allow one message per accept; we also cap how many we bank per template. */
const MAX_BANKED_SENDS = 50;

export interface NoticeRequest {
  memberId: number;
  template: TemplateKey;
  /** Makes the notice happen once: e.g. `reminder:<cohort>:<member>:<date>`. */
  dedupeKey: string;
  page: string;
  data: Record<string, string>;
}

export type NoticeOutcome = 'sent' | 'no-send-left' | 'no-consent' | 'failed' | 'duplicate' | 'no-template';

export interface InAppNotice {
  memberId: number;
  kind: string;
  dedupeKey: string;
  page: string;
  data: Record<string, string>;
}

/**
 * An in-app notice written by the caller's transaction, so it stands or falls with what it tells
 * of. `gather`: an earlier notice with the same key is replaced (a new id, unread again), so many
 * events of one kind ("3 人赞了你的打卡") make one notice rather than one each.
 */
export async function writeInAppNotice(manager: EntityManager, notice: InAppNotice, now: Date, options: { gather?: boolean } = {}): Promise<void> {
  if (options.gather) await manager.delete(Notification, { dedupeKey: notice.dedupeKey });
  await manager.insert(Notification, {
    memberId: notice.memberId, channel: 'inbox', kind: notice.kind, dedupeKey: notice.dedupeKey,
    status: 'unread', payload: { page: notice.page, data: notice.data }, createdAt: now,
  });
}

/** Takes back an in-app notice (what it told of was deleted), inside the caller's transaction. */
export async function removeInAppNotice(manager: EntityManager, dedupeKey: string): Promise<void> {
  await manager.delete(Notification, { dedupeKey, channel: 'inbox' });
}

export class NotifyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sender: SubscribeMessageSender,
    private readonly templates: Record<TemplateKey, string | null>,
  ) {}

  /** The templates the client should ask consent for, with the sends the member has banked. */
  async subscriptions(memberId: number) {
    const rows = await this.dataSource.manager.findBy(SubscriptionConsent, { memberId });
    return {
      templates: (Object.keys(this.templates) as TemplateKey[])
        .filter((key) => this.templates[key] !== null)
        .map((key) => ({
          key,
          templateId: this.templates[key]!,
          sendsLeft: rows.find((row) => row.templateKey === key)?.sendsLeft ?? 0,
        })),
    };
  }

  /**
   * Records what wx.requestSubscribeMessage answered: each `accept` banks one send of that
   * template; `ban` (the member switched the template off) clears them.
   */
  async recordConsent(memberId: number, results: Record<string, ConsentResult>) {
    const now = this.clock.now();
    await withTransaction(this.dataSource, async (manager) => {
      for (const [templateId, result] of Object.entries(results)) {
        const key = this.keyOf(templateId);
        if (!key || (result !== 'accept' && result !== 'ban')) continue;
        await manager.createQueryBuilder().insert().into(SubscriptionConsent)
          .values({ memberId, templateKey: key, sendsLeft: 0, updatedAt: now }).orIgnore().execute();
        await manager.createQueryBuilder().update(SubscriptionConsent)
          .set(result === 'accept'
            ? { sendsLeft: () => `CASE WHEN sends_left < ${MAX_BANKED_SENDS} THEN sends_left + 1 ELSE sends_left END`, updatedAt: now }
            : { sendsLeft: 0, updatedAt: now })
          .where('member_id = :memberId AND template_key = :key', { memberId, key })
          .execute();
      }
    });
    return this.subscriptions(memberId);
  }

  /**
   * The member turns a kind of message off (Me -> 消息提醒): the sends banked for it are dropped, so
   * nothing more of it is sent until they allow it again. Idempotent.
   */
  async stopSubscription(memberId: number, key: TemplateKey) {
    await withTransaction(this.dataSource, (manager) =>
      manager.update(SubscriptionConsent, { memberId, templateKey: key }, { sendsLeft: 0, updatedAt: this.clock.now() }),
    );
    return this.subscriptions(memberId);
  }

  /** Members (of those given) with at least one send of `template` left. */
  async membersWithSendsLeft(memberIds: number[], template: TemplateKey): Promise<number[]> {
    if (memberIds.length === 0) return [];
    const rows = await this.dataSource.manager
      .createQueryBuilder(SubscriptionConsent, 's')
      .select('s.member_id', 'memberId')
      .where('s.template_key = :template AND s.sends_left > 0 AND s.member_id IN (:...memberIds)', { template, memberIds })
      .getRawMany<{ memberId: number }>();
    return rows.map((row) => Number(row.memberId));
  }

  /**
   * Sends one subscription message, at most once per dedupe key and only while the member has a
   * send left. The claim (dedupe row + taking one send) commits before WeChat is called, so two
   * server instances can never both send it; a 43101 answer clears the member's banked sends.
   */
  async notify(request: NoticeRequest): Promise<NoticeOutcome> {
    const templateId = this.templates[request.template];
    if (!templateId) return 'no-template';
    const now = this.clock.now();
    let notificationId: number;
    try {
      const claimed = await withTransaction(this.dataSource, async (manager) => {
        const taken = await manager.createQueryBuilder().update(SubscriptionConsent)
          .set({ sendsLeft: () => 'sends_left - 1', updatedAt: now })
          .where('member_id = :memberId AND template_key = :key AND sends_left > 0', { memberId: request.memberId, key: request.template })
          .execute();
        if (taken.affected !== 1) return null;
        const inserted = await manager.insert(Notification, {
          memberId: request.memberId, channel: 'subscribe', kind: request.template, dedupeKey: request.dedupeKey,
          status: 'claimed', payload: { page: request.page, data: request.data }, createdAt: now,
        });
        return Number(inserted.identifiers[0].id);
      });
      if (claimed === null) return 'no-send-left';
      notificationId = claimed;
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }

    const member = await this.dataSource.manager.findOneByOrFail(Member, { id: request.memberId });
    const { outcome } = await this.sender.send({ touser: member.openid, templateId, page: request.page, data: request.data });
    await withTransaction(this.dataSource, async (manager) => {
      await manager.update(Notification, { id: notificationId }, { status: outcome });
      if (outcome === 'no-consent') {
        await manager.update(SubscriptionConsent, { memberId: request.memberId, templateKey: request.template }, { sendsLeft: 0, updatedAt: now });
      }
    });
    return outcome;
  }

  /** An in-app notice (shown in the Mini Program), once per dedupe key. */
  async notifyInApp(request: InAppNotice): Promise<boolean> {
    try {
      await withTransaction(this.dataSource, (manager) => writeInAppNotice(manager, request, this.clock.now()));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async inbox(memberId: number) {
    const rows = await this.dataSource.manager.find(Notification, {
      where: { memberId, channel: 'inbox', status: In(['unread', 'read']) },
      order: { id: 'DESC' },
      take: 50,
    });
    return {
      items: rows.map((row) => ({
        id: row.id, kind: row.kind, page: row.payload.page, data: row.payload.data,
        unread: row.status === 'unread', createdAt: row.createdAt.toISOString(),
      })),
    };
  }

  /** Marks one of my in-app notices read (idempotent). */
  async markRead(memberId: number, notificationId: number) {
    const notice = await this.dataSource.manager.findOneBy(Notification, { id: notificationId, memberId, channel: 'inbox' });
    if (!notice) throw notFound('Notice');
    await withTransaction(this.dataSource, (manager) =>
      manager.update(Notification, { id: notificationId, memberId, status: 'unread' }, { status: 'read' }),
    );
    return { id: notificationId, unread: false };
  }

  private keyOf(templateId: string): TemplateKey | null {
    const entry = Object.entries(this.templates).find(([, id]) => id === templateId);
    return entry ? (entry[0] as TemplateKey) : null;
  }
}
