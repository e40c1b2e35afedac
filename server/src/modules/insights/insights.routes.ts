import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import type { MetricsService } from './metrics.service';

const rate = z.number().openapi({ description: '0..1' });

export function registerInsightsRoutes(api: ApiRouter, metrics: MetricsService): void {
  api.add({
    method: 'get', path: '/cohorts/:id/metrics', tag: 'insights', access: ['operator'], params: z.object({ id: idParam }),
    summary: 'The cohort funnel: enrolment, daily check-in rate, completion, streaks, reviews, offers, conversion, revenue',
    response: z.object({
      cohortId: z.number().int(), title: z.string(), status: z.string(), durationDays: z.number().int(),
      enrolled: z.number().int(), active: z.number().int(), quits: z.number().int(), quitRate: rate,
      groupVerifiedMembers: z.number().int(),
      checkinRateByDay: z.array(z.object({ day: z.number().int(), checkins: z.number().int(), rate })),
      completed: z.number().int(), completionRate: rate,
      streakDistribution: z.array(z.object({ longestStreak: z.string(), members: z.number().int() })),
      checkins: z.number().int(), reviewCoverage: rate, medianReviewLatencySeconds: z.number().int().nullable(),
      rounds: z.array(z.object({
        round: z.number().int(), offerViews: z.number().int(), orders: z.number().int(), newPayers: z.number().int(),
        conversionRate: rate, revenueFen: z.number().int(),
      })),
      payers: z.number().int(), conversionRate: rate, orders: z.number().int(), revenueFen: z.number().int(),
      averageOrderValueFen: z.number().int(), disbandReady: z.boolean(),
    }).openapi('CohortMetrics'),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => metrics.cohortMetrics(params.id),
  });
  api.add({
    method: 'get', path: '/metrics/overview', tag: 'insights', access: ['operator'],
    summary: 'Every cohort side by side (the 50 newest)',
    response: z.object({
      items: z.array(z.object({
        cohortId: z.number().int(), title: z.string(), startDate: z.string(), status: z.string(), enrolled: z.number().int(),
        completionRate: rate, conversionRate: rate, revenueFen: z.number().int(),
      })),
    }),
    handler: () => metrics.overview(),
  });
}
