import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import { invitationsSchema, inviteCodeSchema, posterCodeSchema, referralBodySchema, referralResultSchema, shareSourceSchema } from './referral.dto';
import type { ReferralService } from './referral.service';

export function registerReferralRoutes(api: ApiRouter, referrals: ReferralService): void {
  api.add({
    method: 'get', path: '/me/invite-code', tag: 'invitations', access: 'member',
    query: z.strictObject({
      cohortId: idParam,
      source: shareSourceSchema.optional().transform((source) => source ?? 'card'),
    }),
    summary: 'My invite code for sharing a cohort (a card, Moments or a poster), with the share path and the code\'s scene',
    response: inviteCodeSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, query }) => referrals.inviteCode(principal.memberId, query.cohortId, query.source),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/poster-code', tag: 'invitations', access: 'member', params: z.object({ id: idParam }),
    summary: 'The Mini Program code (wxacode.getUnlimited) for my poster of this cohort, made once and kept',
    response: posterCodeSchema, rateLimit: 'posterCode',
    errors: { 404: 'NOT_FOUND', 409: 'COHORT_CLOSED', 429: 'WXACODE_RATE_LIMITED', 502: 'WXACODE_PAGE_INVALID or WXACODE_REFUSED', 503: 'WECHAT_UNAVAILABLE' },
    handler: ({ principal, params }) => referrals.posterCode(principal.memberId, params.id),
  });
  api.add({
    method: 'post', path: '/referrals', tag: 'invitations', access: 'public',
    summary: 'Record an open of a share (poster, card, Moments, group); a newcomer who is logged in becomes the inviter\'s invitee',
    body: referralBodySchema, response: referralResultSchema, rateLimit: 'referral',
    errors: { 404: 'NOT_FOUND (an unknown invite code)' },
    handler: ({ principal, body }) => referrals.recordOpen(principal, body),
  });
  api.add({
    method: 'get', path: '/me/invitations', tag: 'invitations', access: 'member', query: pageQuerySchema,
    summary: 'Whom I invited, who joined, who checked in, and what I earned (newest first)',
    response: invitationsSchema,
    handler: ({ principal, query }) => referrals.invitations(principal.memberId, { limit: query.limit, before: query.before }),
  });
}
