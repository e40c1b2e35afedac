import type { EntityManager } from 'typeorm';
import { lockForUpdate } from '../../platform/db/transaction';
import { Checkin } from '../checkin/checkin.entity';

/**
 * Writers to one check-in's likes or comments take turns from the start: the new row's foreign key
 * would otherwise take a shared lock on the check-in that two transactions then both try to raise
 * to move the count (a deadlock). It also orders their writes to the author's gathered notice.
 */
export async function lockCheckin(manager: EntityManager, checkinId: number): Promise<void> {
  await manager.findOne(Checkin, { select: { id: true }, where: { id: checkinId }, lock: lockForUpdate(manager) });
}

/** Moves a stored count by one, in the transaction that added or removed the row it counts. */
export async function moveCount(manager: EntityManager, checkinId: number, count: 'like_count' | 'comment_count', delta: 1 | -1): Promise<void> {
  await manager.createQueryBuilder().update(Checkin).set({ [count === 'like_count' ? 'likeCount' : 'commentCount']: () => `${count} + ${delta}` })
    .where('id = :checkinId', { checkinId }).execute();
}

export async function likeCountOf(manager: EntityManager, checkinId: number): Promise<number> {
  const row = await manager.findOneOrFail(Checkin, { select: { id: true, likeCount: true }, where: { id: checkinId } });
  return row.likeCount;
}
