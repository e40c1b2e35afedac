import { z } from 'zod';
import '../../platform/http/openapi';
import { reviewDtoSchema } from '../review/review.schema';

export const groupProofSchema = z
  .strictObject({
    encryptedData: z.string().min(1).max(8192),
    iv: z.string().min(1).max(64),
  })
  .openapi('GroupProof', { description: 'From wx.getGroupEnterInfo (or wx.getShareInfo) when opened from the group card' });

export const checkinBodySchema = z.strictObject({
  text: z.string().trim().min(1, 'write something about today').max(2000),
  imageUrls: z.array(z.string().max(512)).max(9, 'at most 9 photos').default([]),
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
    viaGroup: z.boolean(),
    isMakeUp: z.boolean(),
    heldForReview: z.boolean(),
    featured: z.boolean(),
    review: reviewDtoSchema.nullable().openapi({ description: 'The teacher\'s review, once there is one' }),
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
    balance: z.number().int(),
  })
  .openapi('CheckinResult');

export const progressDaySchema = z.object({
  dayIndex: z.number().int(),
  date: z.string(),
  state: z.enum(['done', 'made-up', 'missed', 'today', 'upcoming']),
  prompt: z.string().nullable(),
  checkinId: z.number().int().nullable(),
  review: reviewDtoSchema.nullable(),
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
