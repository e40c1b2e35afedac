import { z } from 'zod';
import { nullableRef } from '../../platform/http/openapi';
import { allowedDurations, checkinKinds, LONGEST_MAX_AUDIO_SECONDS } from './cohort-rules';

export const pointsRulesSchema = z
  .object({
    basePoints: z.number().int().min(0).max(1000),
    groupBonusPoints: z.number().int().min(0).max(1000),
    streakBonusPoints: z.number().int().min(0).max(10000),
    completionBonusPoints: z.number().int().min(0).max(10000),
    makeUpCost: z.number().int().min(0).max(10000),
    makeUpLimit: z.number().int().min(0).max(21),
    inviteRewardPoints: z.number().int().min(0).max(10000).openapi({ description: 'What an inviter earns when an invitee makes a first check-in here (default 20)' }),
    inviteRewardLimit: z.number().int().min(0).max(1000).openapi({ description: 'At most this many invitees earn one inviter the reward in this cohort (default 10)' }),
  })
  .openapi('PointsRules');

export const groupQrSchema = z
  .object({
    url: z.string(),
    uploadedAt: z.string(),
    expiresAt: z.string().openapi({ description: 'WeChat expires a group QR 7 days after it is made (counted from the upload)' }),
    state: z.enum(['fresh', 'expiring', 'expired']).openapi({ description: '`expiring` from 6 days after the upload: replace it; `expired`: it no longer works' }),
  })
  .openapi('GroupQr', { description: "The cohort's WeChat group QR, for its members to long-press and join" });
export type GroupQrDto = z.infer<typeof groupQrSchema>;

export const cohortMeSchema = z
  .object({
    enrolled: z.boolean().openapi({ description: 'Whether the caller is enrolled (and has not left)' }),
    checkedInToday: z.boolean().openapi({ description: "Whether the caller's check-in of today is done (false when not running)" }),
    todayCheckinId: z.number().int().nullable(),
    streak: z.object({ current: z.number().int(), longest: z.number().int(), total: z.number().int() }),
    missedDays: z.number().int().openapi({ description: 'Past days of the cohort without a check-in (what a make-up can fill)' }),
    makeUpsLeft: z.number().int(),
  })
  .openapi('CohortMe', { description: "The caller's own state in the cohort: today's check-in, streak, make-ups" });
export type CohortMeDto = z.infer<typeof cohortMeSchema>;

export const cohortDtoSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    theme: z.string(),
    durationDays: z.number().int(),
    startDate: z.string(),
    endDate: z.string(),
    status: z.enum(['recruiting', 'running', 'converting', 'disbanded']),
    dayIndex: z.number().int().nullable().openapi({ description: 'Today\'s day (1..durationDays) while running, else null' }),
    coverImageUrl: z.string().nullable(),
    rules: z.string().nullable(),
    welcomeMessage: z.string().nullable(),
    announcement: z.string().nullable(),
    reminderTime: z.string(),
    groupBound: z.boolean(),
    teacherIds: z.array(z.number().int()),
    points: pointsRulesSchema,
    checkinKinds: z.array(z.enum(checkinKinds)).openapi({ description: 'What a check-in may hold; it needs at least one of them' }),
    maxAudioSeconds: z.number().int().openapi({ description: 'The longest recording a check-in may carry, in seconds' }),
    memberCount: z.number().int(),
    enrolled: z.boolean().openapi({ description: 'Whether the caller is enrolled (and has not left)' }),
    todayPrompt: z.string().nullable(),
    prompts: z.array(z.object({ dayIndex: z.number().int(), text: z.string() })),
    clonedFromId: z.number().int().nullable(),
    disbandedAt: z.string().nullable(),
    nextCohortId: z.number().int().nullable(),
    groupQr: nullableRef(groupQrSchema, 'For its members, teachers and operators; null when none is attached (or for others)'),
    me: cohortMeSchema,
  })
  .openapi('Cohort');
export type CohortDto = z.infer<typeof cohortDtoSchema>;

const optionalLongText = (max: number) => z.string().trim().max(max).nullable().optional();

export const cohortContentSchema = z.strictObject({
  title: z.string().trim().min(1).max(64),
  theme: z.string().trim().min(1).max(32),
  durationDays: z.union(allowedDurations.map((days) => z.literal(days)) as [z.ZodLiteral<7>, z.ZodLiteral<14>, z.ZodLiteral<21>]),
  startDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
  teacherIds: z.array(z.number().int().positive()).max(20).default([]),
  coverImageUrl: z.string().trim().max(512).nullable().optional(),
  prompts: z.array(z.string().trim().min(1).max(500)).max(21).optional().openapi({ description: 'Prompt of day 1, day 2, …' }),
  rules: optionalLongText(4000),
  welcomeMessage: optionalLongText(2000),
  announcement: optionalLongText(2000),
  reminderTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .optional()
    .openapi({ description: 'Local time (BUSINESS_TZ) of the daily reminder; default 08:00' }),
  points: pointsRulesSchema.partial().strict().optional(),
  checkinKinds: z
    .array(z.enum(checkinKinds))
    .min(1, 'a check-in must be able to hold at least one kind')
    .max(checkinKinds.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'each kind once')
    .optional()
    .openapi({ description: 'text, photo, voice (default all three): spoken English wants voice, painting wants photos' }),
  maxAudioSeconds: z
    .number()
    .int()
    .min(5)
    .max(LONGEST_MAX_AUDIO_SECONDS, `at most ${LONGEST_MAX_AUDIO_SECONDS} seconds`)
    .optional()
    .openapi({ description: 'The longest recording a check-in may carry (default 60 s, at most 180 s)' }),
});
export type CohortContentInput = z.infer<typeof cohortContentSchema>;

/** Only the fields sent change: no defaults here (a default teacherIds of [] would unassign every teacher). */
export const cohortUpdateSchema = cohortContentSchema
  .extend({ teacherIds: z.array(z.number().int().positive()).max(20) })
  .partial()
  .strict();
export type CohortUpdateInput = z.infer<typeof cohortUpdateSchema>;

export const enrollmentDtoSchema = z
  .object({
    cohortId: z.number().int(),
    memberId: z.number().int(),
    joinedAt: z.string(),
    active: z.boolean(),
  })
  .openapi('Enrollment');
