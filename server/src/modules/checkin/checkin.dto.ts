import { z } from 'zod';
import { nullableRef } from '../../platform/http/openapi';
import { pageQuerySchema } from '../../platform/http/paging';
import { reviewDtoSchema } from '../review/review.schema';

/** Where a feed page ended: in the featured part (`f<id>`) or in the rest (`<id>`). */
export interface FeedCursor {
  featured: boolean;
  id: number;
}

export const feedQuerySchema = pageQuerySchema.extend({
  before: z
    .string()
    .regex(/^f?[1-9]\d{0,9}$/, 'must be a cursor from nextCursor')
    .transform((cursor): FeedCursor => ({ featured: cursor.startsWith('f'), id: Number(cursor.replace('f', '')) }))
    .optional()
    .openapi({ type: 'string', description: 'nextCursor of the previous page' }),
});

export const groupProofSchema = z
  .strictObject({
    encryptedData: z.string().min(1).max(8192),
    iv: z.string().min(1).max(64),
  })
  .openapi('GroupProof', { description: 'From wx.getGroupEnterInfo (or wx.getShareInfo) when opened from the group card' });

export const checkinBodySchema = z.strictObject({
  text: z.string().trim().max(2000).default('').openapi({ description: 'Optional when a photo or a recording is there' }),
  imageUrls: z.array(z.string().max(512)).max(9, 'at most 9 photos').default([]),
  audioUrl: z.string().max(512).nullable().optional().openapi({ description: 'My recording from POST /uploads/audio' }),
  groupProof: groupProofSchema.optional(),
  makeUpDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
});
export type CheckinBody = z.infer<typeof checkinBodySchema>;

export const streakSchema = z
  .object({ current: z.number().int(), longest: z.number().int(), total: z.number().int() })
  .openapi('Streak');

export const checkinDtoSchema = z
  .object({
    id: z.number().int(),
    cohortId: z.number().int(),
    dayIndex: z.number().int(),
    date: z.string(),
    text: z.string(),
    imageUrls: z.array(z.string()),
    audioUrl: z.string().nullable(),
    audioSeconds: z.number().int().nullable().openapi({ description: 'The recording\'s length as the server measured it' }),
    viaGroup: z.boolean(),
    sharedToGroup: z.boolean().openapi({ description: 'Earned the group bonus afterwards by being shared into the cohort\'s group' }),
    isMakeUp: z.boolean(),
    heldForReview: z.boolean(),
    featured: z.boolean(),
    review: nullableRef(reviewDtoSchema, 'The teacher\'s review, once there is one'),
    likeCount: z.number().int(),
    likedByMe: z.boolean(),
    commentCount: z.number().int().openapi({ description: 'Published comments (held ones are not counted)' }),
    createdAt: z.string(),
    author: z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() }),
  })
  .openapi('Checkin');
export type CheckinDto = z.infer<typeof checkinDtoSchema>;

export const checkinResultSchema = z
  .object({
    checkin: checkinDtoSchema,
    awards: z.array(z.object({ reason: z.string(), points: z.number().int() })),
    streak: streakSchema,
    milestones: z
      .object({
        streakDays: z.number().int().nullable().openapi({ description: 'The streak milestone (7, 14, 21) this check-in reached' }),
        completed: z.boolean().openapi({ description: 'This check-in completed every day of the cohort' }),
      })
      .openapi({ description: 'What to celebrate on the success screen' }),
    balance: z.number().int(),
  })
  .openapi('CheckinResult');

export const progressDaySchema = z.object({
  dayIndex: z.number().int(),
  date: z.string(),
  state: z.enum(['done', 'made-up', 'missed', 'today', 'upcoming']),
  prompt: z.string().nullable(),
  checkinId: z.number().int().nullable(),
  review: nullableRef(reviewDtoSchema, 'The teacher\'s review of that day\'s check-in, once there is one'),
});

export const progressSchema = z
  .object({
    cohortId: z.number().int(),
    status: z.enum(['recruiting', 'running', 'converting', 'disbanded']),
    dayIndex: z.number().int().nullable(),
    days: z.array(progressDaySchema),
    streak: streakSchema,
    makeUpsUsed: z.number().int(),
    makeUpsLeft: z.number().int(),
    makeUpCost: z.number().int(),
    balance: z.number().int(),
  })
  .openapi('Progress');

export const groupShareResultSchema = z
  .object({
    award: z.object({ reason: z.literal('group_bonus'), points: z.number().int() }),
    balance: z.number().int(),
  })
  .openapi('GroupShareResult');

export const certificateSchema = z
  .object({
    cohortId: z.number().int(),
    cohortTitle: z.string(),
    theme: z.string(),
    nickname: z.string(),
    avatarUrl: z.string().nullable(),
    durationDays: z.number().int(),
    daysCheckedIn: z.number().int(),
    longestStreak: z.number().int(),
    pointsEarned: z.number().int().openapi({ description: 'Points the cohort\'s check-ins and bonuses earned (make-up fees not subtracted)' }),
    startDate: z.string(),
    completedOn: z.string(),
  })
  .openapi('Certificate');
