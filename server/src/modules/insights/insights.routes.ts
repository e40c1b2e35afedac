import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import type { MetricsService } from './metrics.service';
import { openSources } from '../referral/referral-rules';

const rate = z.number().openapi({ description: '0..1' });

const entryStepsSchema = z
  .object({
    source: z.enum([...openSources, 'all']),
    opens: z.number().int(),
    visitors: z.number().int().openapi({ description: 'Logged-in members who opened a share this way' }),
    joins: z.number().int().openapi({ description: 'Of them, joined the cohort after opening' }),
    firstCheckins: z.number().int().openapi({ description: 'Of those, made a check-in there' }),
  })
  .openapi('EntrySteps');

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
      entry: z.object({
        sources: z.array(entryStepsSchema),
        total: entryStepsSchema,
        entryRate: rate.openapi({ description: 'Visitors who joined and made a first check-in / visitors' }),
      }).openapi({ description: 'The entry funnel: opens of shares -> the members who opened them -> joined after that -> first check-in' }),
      topInviters: z.array(z.object({
        member: z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() }),
        invited: z.number().int(), joined: z.number().int(), checkedIn: z.number().int(), rewardPoints: z.number().int(),
      })).openapi({ description: 'The ten members whose invitees checked in most (then invited most)' }),
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
