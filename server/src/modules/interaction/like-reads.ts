import { In, type EntityManager } from 'typeorm';
import { CheckinLike } from './interaction.entities';

/** Which of the given check-ins the member has liked (for `likedByMe` in the feed). */
export async function likedBy(manager: EntityManager, memberId: number, checkinIds: number[]): Promise<Set<number>> {
  if (checkinIds.length === 0) return new Set();
  const rows = await manager.find(CheckinLike, { select: { checkinId: true }, where: { memberId, checkinId: In(checkinIds) } });
  return new Set(rows.map((row) => row.checkinId));
}
