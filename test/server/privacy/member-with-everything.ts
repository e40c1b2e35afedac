import { AuditEntry } from '../../../server/src/modules/audit/audit.entity';
import { CohortTeacher } from '../../../server/src/modules/cohort/cohort.entity';
import { ConsoleLoginTicket, ConsoleSession } from '../../../server/src/modules/console-auth/console-auth.entity';
import { CohortOutcome, Offer, OfferOrder, OfferView } from '../../../server/src/modules/conversion/conversion.entity';
import { FollowUp, FollowUpEvent, MemberTag, Tag } from '../../../server/src/modules/follow-up/follow-up.entity';
import { SubscriptionConsent } from '../../../server/src/modules/notify/notify.entity';
import { Referral, ReferralOpen, ReferralTally, ShareCode } from '../../../server/src/modules/referral/referral.entities';
import { Upload } from '../../../server/src/modules/upload/upload.entity';
import { address, createProduct, givePoints, redeem } from '../mall/mall-helpers';
import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, uploadImage, type LoggedIn, type TestApp } from '../support/test-app';

export interface Everything {
  operator: LoggedIn;
  cohort: CohortFixture;
  /** The member who has something in every table that can hold a member's data. */
  member: LoggedIn;
  /** Another member of the cohort, whose data must survive the member's deletion. */
  other: LoggedIn;
  photoUrls: string[];
  avatarUrl: string;
  audioKey: string;
  pendingRedemptionId: number;
  fulfilledRedemptionId: number;
  otherCheckinId: number;
  memberCheckinId: number;
}

const instant = (iso: string) => new Date(iso);

/**
 * Builds a member who has everything: through the API where a member or staff can do it (check-ins
 * with photos, an avatar, likes, comments, a review, redemptions with an address), and by inserting
 * rows for the records other flows write (console sessions, offers' orders, invitations, staff's
 * tags and follow-ups, the audit log).
 */
export async function memberWithEverything(t: TestApp, prefix: string): Promise<Everything> {
  const operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
  const member = await joinAs(t, `${prefix}-member`, cohort.id);
  const other = await joinAs(t, `${prefix}-other`, cohort.id);
  await t.http.post(`/api/v1/admin/members/${member.memberId}/roles`).set(operator.auth).send({ roles: ['teacher'] }).expect(200);
  const m = t.db.dataSource.manager;
  await m.insert(CohortTeacher, { cohortId: cohort.id, memberId: member.memberId });
  const teacher = await teacherOf(t, operator, `${prefix}-teacher`);
  await m.insert(CohortTeacher, { cohortId: cohort.id, memberId: teacher.memberId });

  await at(t, '2026-03-02T09:00:00+08:00');
  const photoUrls = [await uploadImage(t, member), await uploadImage(t, member)];
  const avatarUrl = await uploadImage(t, member);
  await t.http.put('/api/v1/me').set(member.auth).send({ nickname: '小明同学', avatarUrl }).expect(200);
  const memberCheckinId = (
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: '我的第一天：自我介绍', imageUrls: photoUrls }).expect(201)
  ).body.checkin.id as number;
  const otherCheckinId = (
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(other.auth).send({ text: 'Day one from the other member' }).expect(201)
  ).body.checkin.id as number;
  // A recording the member uploaded (stored like POST /uploads/audio stores one) and still uses.
  const audioKey = 'audio/2026/03/0123456789abcdef0123456789abcdef.mp3';
  await t.modules.uploads.store({ ownerId: member.memberId, kind: 'audio', key: audioKey, bytes: Buffer.from('ID3fake'), contentType: 'audio/mpeg', durationSeconds: 3 });
  const audioUpload = await m.findOneByOrFail(Upload, { storageKey: audioKey });
  await m.query('INSERT INTO upload_use (upload_id, ref_type, ref_id) VALUES (?, ?, ?)', [audioUpload.id, 'checkin', memberCheckinId]);
  await m.query('UPDATE checkin SET audio_key = ?, audio_seconds = 3 WHERE id = ?', [audioKey, memberCheckinId]);

  await t.http.put(`/api/v1/checkins/${otherCheckinId}/like`).set(member.auth).expect(200);
  await t.http.put(`/api/v1/checkins/${memberCheckinId}/like`).set(other.auth).expect(200);
  await t.http.post(`/api/v1/checkins/${otherCheckinId}/comments`).set(member.auth).send({ text: '说得真好，我的电话 13800138000' }).expect(201);
  await t.http.post(`/api/v1/checkins/${memberCheckinId}/comments`).set(other.auth).send({ text: '加油！' }).expect(201);
  await t.http.post(`/api/v1/checkins/${otherCheckinId}/reviews`).set(member.auth).send({ text: '发音清楚，继续保持' }).expect(201);
  await t.http.post(`/api/v1/checkins/${memberCheckinId}/reviews`).set(teacher.auth).send({ text: '很好的自我介绍' }).expect(201);
  await t.http.post('/api/v1/teacher/templates').set(member.auth).send({ text: '很棒，明天继续！' }).expect(201);

  await givePoints(t, operator, member, 500);
  const product = await createProduct(t, operator, { perMemberLimit: 5 });
  const fulfilledRedemptionId = (await redeem(t, member, { productId: product.id, address }).expect(201)).body.redemption.id as number;
  await t.http.post(`/api/v1/mall/redemptions/${fulfilledRedemptionId}/fulfil`).set(operator.auth).send({ carrier: '顺丰', trackingNumber: 'SF1234567890' }).expect(200);
  const pendingRedemptionId = (await redeem(t, member, { productId: product.id, address }).expect(201)).body.redemption.id as number;

  const now = instant('2026-03-02T01:00:00Z');
  const later = instant('2026-03-10T01:00:00Z');
  await m.insert(SubscriptionConsent, { memberId: member.memberId, templateKey: 'reminder', sendsLeft: 2, updatedAt: now });
  await m.insert(ConsoleSession, { tokenHash: `${prefix}-session-hash`.padEnd(64, '0'), memberId: member.memberId, via: 'qr', browserIp: '203.0.113.7', browserAgent: 'Firefox', createdAt: now, expiresAt: later });
  await m.insert(ConsoleLoginTicket, { ticketHash: `${prefix}-ticket-hash`.padEnd(64, '0'), createdAt: now, expiresAt: later, browserIp: '203.0.113.7', browserAgent: 'Firefox', approvedBy: member.memberId, approvedAt: now, collectedAt: now });
  const offer = await m.save(Offer, { cohortId: cohort.id, round: 1, title: '进阶班', description: null, priceFen: 9900, originalPriceFen: null, opensAt: now, closesAt: later, audience: 'all', createdAt: now });
  await m.insert(OfferView, { offerId: offer.id, memberId: member.memberId, viewedAt: now });
  await m.insert(OfferOrder, { offerId: offer.id, cohortId: cohort.id, round: 1, memberId: member.memberId, outTradeNo: `${prefix}-trade`.slice(0, 32), amountFen: 9900, state: 'paid', prepayParams: { paySign: 'secret' }, transactionId: 'tx-1', createdAt: now, paidAt: now });
  await m.insert(CohortOutcome, { cohortId: cohort.id, memberId: member.memberId, completed: true, converted: true, recordedAt: now });
  const sent = await m.save(ShareCode, { code: `${prefix}s`.slice(0, 16), cohortId: cohort.id, inviterId: member.memberId, source: 'poster', imageKey: null, createdAt: now });
  const inviter = await loginAs(t, `${prefix}-inviter`);
  const received = await m.save(ShareCode, { code: `${prefix}r`.slice(0, 16), cohortId: cohort.id, inviterId: inviter.memberId, source: 'card', imageKey: null, createdAt: now });
  await m.insert(ReferralOpen, { shareCodeId: received.id, cohortId: cohort.id, memberId: member.memberId, source: 'card', createdAt: now });
  await m.insert(Referral, { cohortId: cohort.id, inviterId: member.memberId, inviteeId: other.memberId, shareCodeId: sent.id, source: 'poster', createdAt: now, firstCheckinAt: now, rewardPoints: 20 });
  await m.insert(Referral, { cohortId: cohort.id, inviterId: inviter.memberId, inviteeId: member.memberId, shareCodeId: received.id, source: 'card', createdAt: now, firstCheckinAt: now, rewardPoints: 20 });
  await m.insert(ReferralTally, { cohortId: cohort.id, inviterId: member.memberId, rewarded: 1 });
  const tag = await m.save(Tag, { name: `${prefix}-price`.slice(0, 24), color: '#f60', createdBy: operator.memberId, createdAt: now });
  await m.insert(MemberTag, { memberId: member.memberId, tagId: tag.id, taggedBy: operator.memberId, taggedAt: now });
  await m.insert(FollowUp, { cohortId: cohort.id, memberId: member.memberId, state: 'contacted', note: '电话聊过，家在天河', updatedBy: operator.memberId, updatedAt: now });
  await m.insert(FollowUpEvent, { cohortId: cohort.id, memberId: member.memberId, state: 'contacted', note: '电话聊过，家在天河', actorId: operator.memberId, createdAt: now });
  await m.insert(AuditEntry, { actorId: operator.memberId, action: 'members.tag', cohortId: cohort.id, memberId: member.memberId, targetType: 'member', targetId: member.memberId, details: { tag: 'price' }, createdAt: now });

  return { operator, cohort, member, other, photoUrls, avatarUrl, audioKey, pendingRedemptionId, fulfilledRedemptionId, otherCheckinId, memberCheckinId };
}
