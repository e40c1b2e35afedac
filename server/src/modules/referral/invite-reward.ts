import type { EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';
import { recordLedgerLine } from '../points/points.service';
import { inviteRewardKey } from './referral-rules';
import { Referral, ReferralTally } from './referral.entities';

export interface FirstCheckin {
  cohort: { id: number; inviteRewardPoints: number; inviteRewardLimit: number };
  inviteeId: number;
  now: Date;
}

/**
 * Inside the invitee's first check-in transaction in a cohort (which holds the invitee's
 * enrollment lock, so their check-ins take turns): marks the referral checked in and pays the
 * inviter the cohort's reward, unless the inviter already had `inviteRewardLimit` rewarded
 * invitees there. The limit holds under concurrent first check-ins of different invitees by a
 * conditional update of the inviter's tally; the ledger key makes the reward once per invitee.
 * One read when the member was not invited into this cohort.
 */
export async function rewardInviterOnFirstCheckin(manager: EntityManager, { cohort, inviteeId, now }: FirstCheckin): Promise<void> {
  const referral = await manager.findOne(Referral, {
    select: { id: true, inviterId: true },
    where: { inviteeId, cohortId: cohort.id, firstCheckinAt: IsNull() },
  });
  if (!referral) return;
  const points = cohort.inviteRewardPoints;
  const rewarded = points > 0 && cohort.inviteRewardLimit > 0 && (await takeRewardSlot(manager, cohort.id, referral.inviterId, cohort.inviteRewardLimit));
  await manager.update(Referral, { id: referral.id }, { firstCheckinAt: now, rewardPoints: rewarded ? points : 0 });
  if (!rewarded) return;
  await recordLedgerLine(
    manager,
    { memberId: referral.inviterId, delta: points, reason: 'invite_reward', refType: 'referral', refId: referral.id, idempotencyKey: inviteRewardKey(inviteeId) },
    now,
  );
}

/** One more rewarded invitee for the inviter in the cohort, if that stays within the limit. */
async function takeRewardSlot(manager: EntityManager, cohortId: number, inviterId: number, limit: number): Promise<boolean> {
  await manager.createQueryBuilder().insert().into(ReferralTally).values({ cohortId, inviterId, rewarded: 0 }).orIgnore().execute();
  const taken = await manager
    .createQueryBuilder()
    .update(ReferralTally)
    .set({ rewarded: () => 'rewarded + 1' })
    .where('cohort_id = :cohortId AND inviter_id = :inviterId AND rewarded < :limit', { cohortId, inviterId, limit })
    .execute();
  return taken.affected === 1;
}
