import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/business-date';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import type { MetricsService } from './metrics.service';
import type { CostService } from './costs.service';
import { costCategories } from './cost-rules';
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

const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isCalendarDate, 'must be a real date');

const costEntrySchema = z
  .object({
    id: z.number().int(), cohortId: z.number().int(), category: z.enum(costCategories), amountFen: z.number().int(), note: z.string(),
    incurredOn: z.string(), createdBy: z.number().int(), createdAt: z.string(),
  })
  .openapi('CostEntry');

export function registerInsightsRoutes(api: ApiRouter, metrics: MetricsService, costs: CostService): void {
  api.add({
    method: 'get', path: '/cohorts/:id/costs', tag: 'insights', access: ['operator'], params: z.object({ id: idParam }),
    summary: "The costs recorded for a cohort (prizes, ads, teacher hours), newest first, with totals per category",
    response: z.object({
      items: z.array(costEntrySchema),
      totals: z.object({ prizes: z.number().int(), ads: z.number().int(), teacher_hours: z.number().int(), total: z.number().int() }),
    }),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => costs.list(params.id),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/costs', tag: 'insights', access: ['operator'], params: z.object({ id: idParam }), status: 201,
    summary: 'Record a cost of the cohort (audited); ROI = revenue / the sum of its costs',
    body: z.strictObject({
      category: z.enum(costCategories).openapi({ description: 'prizes (mall goods, gifts), ads, teacher_hours' }),
      amountFen: z.number().int().min(1).max(100_000_000).openapi({ description: 'In fen (¥1 = 100)' }),
      note: z.string().trim().max(200).default(''),
      incurredOn: calendarDate.openapi({ description: 'The business date the cost belongs to' }),
    }),
    response: costEntrySchema,
    errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => costs.record(principal.memberId, params.id, body),
  });
  api.add({
    method: 'delete', path: '/cohorts/:id/costs/:costId', tag: 'insights', access: ['operator'], status: 204,
    params: z.object({ id: idParam, costId: idParam }),
    summary: 'Delete a cost entry recorded by mistake (audited)', response: z.void(), errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => costs.remove(principal.memberId, params.id, params.costId),
  });
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
      reviewers: z.array(z.object({
        teacher: z.object({ id: z.number().int(), nickname: z.string() }),
        reviews: z.number().int(),
        coverage: rate.openapi({ description: "This teacher's reviews / the cohort's check-ins" }),
        averageLatencySeconds: z.number().int().nullable(),
      })).openapi({ description: 'Review coverage and latency per teacher' }),
      interaction: z.object({
        likes: z.number().int(), comments: z.number().int(),
        members: z.number().int().openapi({ description: 'Members of the cohort who liked or commented' }),
        rate: rate.openapi({ description: 'members / enrolled' }),
      }),
      costs: z.object({ prizesFen: z.number().int(), adsFen: z.number().int(), teacherHoursFen: z.number().int(), total: z.number().int() }),
      roi: z.number().nullable().openapi({ description: 'revenue / costs (null while no cost is recorded)' }),
      retention: z.object({
        nextCohortId: z.number().int().nullable(),
        carried: z.number().int().openapi({ description: 'Members of this cohort enrolled in the next cohort' }),
        rate: rate.nullable().openapi({ description: 'carried / enrolled; null until the cohort is disbanded into a next one' }),
      }),
    }).openapi('CohortMetrics'),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => metrics.cohortMetrics(params.id),
  });
  api.add({
    method: 'get', path: '/metrics/overview', tag: 'insights', access: ['operator'],
    query: z.strictObject({
      from: calendarDate.optional().openapi({ description: 'Cohorts starting on or after this date' }),
      to: calendarDate.optional().openapi({ description: 'Cohorts starting on or before this date' }),
    }),
    summary: 'Every cohort side by side (the 50 newest, optionally those starting within a date range)',
    response: z.object({
      items: z.array(z.object({
        cohortId: z.number().int(), title: z.string(), startDate: z.string(), status: z.string(), enrolled: z.number().int(),
        completionRate: rate, conversionRate: rate, payers: z.number().int(), revenueFen: z.number().int(),
        averageOrderValueFen: z.number().int().openapi({ description: 'revenue / paying members' }),
        costFen: z.number().int(), roi: z.number().nullable().openapi({ description: 'revenue / costs; null without costs' }),
        retentionRate: rate.nullable().openapi({ description: 'Members carried into the next cohort / enrolled; null without a next cohort' }),
      })),
    }),
    handler: ({ query }) => metrics.overview(query),
  });
}
