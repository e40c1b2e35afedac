import { z } from 'zod';
import '../../platform/http/openapi';

export const leaderboardMetrics = ['points', 'streak', 'likes'] as const;
export type LeaderboardMetric = (typeof leaderboardMetrics)[number];

const boardMemberSchema = z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() });

export const leaderboardSchema = z
  .object({
    by: z.enum(leaderboardMetrics),
    items: z.array(z.object({ rank: z.number().int(), member: boardMemberSchema, value: z.number().int() })).openapi({
      description: 'The top 50 with a value above 0; ties go to whoever reached the value first',
    }),
    me: z
      .object({
        rank: z.number().int().nullable().openapi({ description: 'null while my value is 0 (not on the board yet)' }),
        member: boardMemberSchema,
        value: z.number().int(),
      })
      .nullable()
      .openapi({ description: 'My own row (null for staff who are not enrolled)' }),
  })
  .openapi('Leaderboard');
export type LeaderboardDto = z.infer<typeof leaderboardSchema>;
