import { z } from 'zod';
import '../../platform/http/openapi';
import { openSources, shareSources } from './referral-rules';

export const shareSourceSchema = z.enum(shareSources).openapi({ description: 'What is shared: a poster (or daily card, or certificate) with the code, a chat card, Moments' });
export const openSourceSchema = z.enum(openSources).openapi({
  description: 'How the share was opened: a scanned code, a card in a one-to-one chat, Moments, or a card inside a group chat',
});

const personSchema = z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() });

export const inviteCodeSchema = z
  .object({
    code: z.string(),
    cohortId: z.number().int(),
    source: shareSourceSchema,
    scene: z.string().openapi({ description: 'What a Mini Program code carries for it (at most 32 characters)' }),
    path: z.string().openapi({ description: 'The page a share card opens, with the invite: pages/cohort/index?id=…&inv=…' }),
  })
  .openapi('InviteCode');

export const posterCodeSchema = z
  .object({
    code: z.string(),
    cohortId: z.number().int(),
    scene: z.string(),
    page: z.string(),
    imageUrl: z.string().openapi({ description: 'The Mini Program code image (PNG or JPEG), made once per cohort and member' }),
  })
  .openapi('PosterCode');

export const referralBodySchema = z.strictObject({
  inviteCode: z.string().trim().min(1).max(16),
  cohortId: z.number().int().positive().optional().openapi({ description: 'The cohort in the share path; a scanned code carries only the code, so it may be left out' }),
  source: openSourceSchema,
});
export type ReferralBody = z.infer<typeof referralBodySchema>;

export const referralResultSchema = z
  .object({
    cohortId: z.number().int(),
    attributed: z.boolean(),
    reason: z.enum(['attributed', 'self', 'already_enrolled', 'already_attributed', 'cohort_closed', 'not_logged_in']).openapi({
      description: 'Why (not): only a member who never enrolled anywhere and was not invited before becomes an invitee',
    }),
    inviter: personSchema,
  })
  .openapi('ReferralResult');

export const invitationSchema = z
  .object({
    id: z.number().int(),
    invitee: personSchema,
    cohort: z.object({ id: z.number().int(), title: z.string() }),
    source: openSourceSchema,
    invitedAt: z.string(),
    joined: z.boolean(),
    checkedIn: z.boolean().openapi({ description: 'Made a first check-in in that cohort' }),
    rewardPoints: z.number().int().nullable().openapi({ description: 'Earned at the first check-in; 0 when the cohort\'s limit was reached; null before' }),
  })
  .openapi('Invitation');

export const invitationsSchema = z
  .object({
    summary: z.object({ invited: z.number().int(), joined: z.number().int(), checkedIn: z.number().int(), earnedPoints: z.number().int() }),
    items: z.array(invitationSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('Invitations');
