import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { leaderboardMetrics, leaderboardSchema } from './leaderboard.dto';
import type { LeaderboardService } from './leaderboard.service';

export function registerLeaderboardRoutes(api: ApiRouter, leaderboard: LeaderboardService): void {
  api.add({
    method: 'get', path: '/cohorts/:id/leaderboard', tag: 'leaderboard', access: 'member', params: z.object({ id: idParam }),
    query: z.strictObject({ by: z.enum(leaderboardMetrics).default('points') }),
    summary: 'The cohort\'s top 50 by points earned in it, current streak or likes received, and my own rank',
    response: leaderboardSchema, errors: { 403: 'FORBIDDEN (not a member or staff of this cohort)', 404: 'NOT_FOUND' },
    handler: ({ principal, params, query }) => leaderboard.board(principal, params.id, query.by),
  });
}
